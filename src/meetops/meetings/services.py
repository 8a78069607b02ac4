"""Every write to a meeting goes through here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.registry import MeetingHook, registry
from meetops.core.validation import check_datetime
from meetops.meetings import search, signals
from meetops.meetings.duties import kinds_in
from meetops.meetings.models import (
    Attendance,
    Confidentiality,
    DocumentLanguage,
    Format,
    Meeting,
    MeetingKind,
    MeetingRole,
    Participant,
    Stage,
)
from meetops.meetings.permissions import (
    can_create_meeting,
    can_manage_meeting,
    can_override_steps,
    can_register_walk_ins,
)
from meetops.people.models import ExternalContact, User

# Fields a caller may set on create/update, and their audit order.
EDITABLE_FIELDS = [
    "title",
    "kind",
    "goals",
    "description",
    "department",
    "start",
    "end",
    "format",
    "online_url",
    "location",
    "confidentiality",
    "expected_attendance",
    "language",
]

# Which stage may follow which. Leaving a stage forward checks that stage's
# required steps; going back (ready → preparing) and cancelling do not.
FORWARD = {
    Stage.DRAFT: Stage.PREPARING,
    Stage.PREPARING: Stage.READY,
    Stage.READY: Stage.IN_PROGRESS,
    Stage.IN_PROGRESS: Stage.CONCLUDED,
    Stage.CONCLUDED: Stage.FOLLOWING_UP,
    Stage.FOLLOWING_UP: Stage.CLOSED,
}
BACKWARD = {Stage.READY: Stage.PREPARING}
CANCELLABLE = {Stage.DRAFT, Stage.PREPARING, Stage.READY}

MAX_TITLE = 300


def _validate(fields: dict[str, Any]) -> None:
    title = fields.get("title")
    if title is not None:
        if not str(title).strip():
            raise ValidationFailed(_("A title is required."), "title_required", field="title")
        if len(title) > MAX_TITLE:
            raise ValidationFailed(
                _("The title is too long (at most %(max)d characters).") % {"max": MAX_TITLE},
                "title_too_long",
                field="title",
                max_length=MAX_TITLE,
            )
    start, end = fields.get("start"), fields.get("end")
    for name, value in (("start", start), ("end", end)):
        if value is not None and timezone.is_naive(value):
            raise ValidationFailed(
                _("Times need a time zone offset."), "naive_datetime", field=name
            )
        check_datetime(value, field=name)
    if start is not None and end is not None and end <= start:
        raise ValidationFailed(
            _("The meeting must end after it starts."), "end_before_start", field="end"
        )
    online_url = fields.get("online_url")
    if online_url:
        # Only web links: the page renders this as a link, and javascript: is not one.
        try:
            URLValidator(schemes=["http", "https"])(online_url)
        except DjangoValidationError as exc:
            raise ValidationFailed(exc.messages[0], "invalid_url", field="online_url") from exc
    if fields.get("format") not in (None, *Format.values):
        raise ValidationFailed(_("Unknown format."), "unknown_format", field="format")
    if fields.get("confidentiality") not in (None, *Confidentiality.values):
        raise ValidationFailed(
            _("Unknown confidentiality level."), "unknown_confidentiality", field="confidentiality"
        )
    if fields.get("language") not in (None, "", *DocumentLanguage.values):
        raise ValidationFailed(_("Unknown language."), "unknown_language", field="language")
    expected = fields.get("expected_attendance")
    if expected is not None and expected < 0:
        raise ValidationFailed(
            _("Expected attendance cannot be negative."),
            "invalid_number",
            field="expected_attendance",
        )


def resolve_kind(code: str) -> MeetingKind:
    kind = MeetingKind.objects.filter(code=code, active=True).first()
    if kind is None:
        raise ValidationFailed(
            _("Unknown meeting kind: %(kind)s") % {"kind": code}, "unknown_kind", field="kind"
        )
    return kind


def _hooks() -> list[MeetingHook]:
    """What other apps do at a meeting's creation and stage changes (policy: its steps)."""
    return registry["meeting_hooks"].ordered()


def create_meeting(
    *,
    actor: User,
    title: str,
    kind: MeetingKind,
    start: datetime,
    end: datetime,
    **fields: Any,
) -> Meeting:
    """Create a draft meeting from the current process version; the creator becomes its organiser."""
    if not can_create_meeting(actor):
        raise PermissionDenied(_("Only organisers, leaders and administrators create meetings."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    data = {"title": title, "kind": kind, "start": start, "end": end, **fields}
    _validate(data)
    if data.get("department") is None and actor.department_id:
        data["department"] = actor.department
    with transaction.atomic():
        meeting = Meeting.objects.create(**data, created_by=actor, stage_changed_at=timezone.now())
        search.index_meeting(meeting)
        Participant.objects.create(
            meeting=meeting,
            user=actor,
            role=MeetingRole.ORGANISER,
            **Participant.snapshot_of(user=actor),
        )
        for hook in _hooks():
            if hook.on_created is not None:
                hook.on_created(meeting)
        audit.record(
            "meetings.meeting.created",
            meeting,
            actor=actor,
            changes=audit.diff({}, audit.snapshot(meeting, EDITABLE_FIELDS)),
            data={
                "process_version": meeting.process_version.version
                if meeting.process_version
                else None
            },
        )
    return meeting


def update_meeting(meeting: Meeting, *, actor: User, **fields: Any) -> Meeting:
    """Change the meeting's plan. Closed and cancelled meetings are frozen."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_frozen:
            raise DomainError(
                _("A closed or cancelled meeting cannot be changed."), "meeting_frozen"
            )
        _validate({"start": meeting.start, "end": meeting.end, **fields})
        before = audit.snapshot(meeting, EDITABLE_FIELDS)
        for name, value in fields.items():
            setattr(meeting, name, value)
        after = audit.snapshot(meeting, EDITABLE_FIELDS)
        changes = audit.diff(before, after)
        if not changes:
            return meeting
        meeting.save(update_fields=[*changes.keys(), "updated_at"])
        if changes.keys() & {"title", "location", "goals", "description"}:
            search.index_meeting(meeting)
        audit.record("meetings.meeting.updated", meeting, actor=actor, changes=changes)
        if changes.keys() & {"start", "end"}:
            meeting.reschedule_notes = _follow_new_time(meeting, before, actor)
        # Inside the transaction: the receivers' outbox rows commit or roll back with the change.
        signals.meeting_changed.send(Meeting, meeting=meeting, actor=actor, changes=changes)
    return meeting


def _follow_new_time(meeting: Meeting, before: dict[str, Any], actor: User | None) -> list[str]:
    """The apps whose records hang on the meeting's time follow it (venues: its rooms), in the
    move's transaction; what they say (what could not follow) goes back to the person."""
    old_start, old_end = before["start"], before["end"]
    return [
        note
        for hook in _hooks()
        if hook.on_rescheduled is not None
        for note in hook.on_rescheduled(meeting, old_start, old_end, actor)
    ]


def allowed_transitions(meeting: Meeting) -> list[str]:
    targets = []
    if meeting.stage in FORWARD:
        targets.append(FORWARD[Stage(meeting.stage)])
    if meeting.stage in BACKWARD:
        targets.append(BACKWARD[Stage(meeting.stage)])
    if meeting.stage in CANCELLABLE:
        targets.append(Stage.CANCELLED)
    return [str(t) for t in targets]


def transition_meeting(
    meeting: Meeting, *, to: str, actor: User, override_reason: str = "", reason: str = ""
) -> Meeting:
    """Move the meeting to another stage.

    Preconditions: `to` follows the current stage; moving forward needs every
    required step of the current stage done or waived, unless an actor who may
    override gives a reason. Raises `steps_open` (409) with the open steps.
    """
    if to not in Stage.values:
        raise ValidationFailed(
            _("Unknown stage: %(stage)s") % {"stage": to}, "unknown_stage", field="to"
        )
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    override_reason = override_reason.strip()
    with transaction.atomic():
        # FOR NO KEY UPDATE: a stage change never touches the key, so rows that merely point at
        # the meeting (a waiting-list offer holding a room lock) are not made to wait for it;
        # venues' release of the rooms then takes the room locks after the meeting's.
        meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
        current = meeting.stage
        if to not in allowed_transitions(meeting):
            raise DomainError(
                _("A meeting cannot go from “%(from)s” to “%(to)s”.")
                % {"from": Stage(current).label, "to": Stage(to).label},
                "invalid_transition",
                stage=current,
                to=to,
                allowed=allowed_transitions(meeting),
            )
        overridden: list[dict[str, Any]] = []
        if FORWARD.get(Stage(current)) == to:
            open_steps = [
                row
                for hook in _hooks()
                if hook.blocking is not None
                for row in hook.blocking(meeting, current, actor)
            ]
            if open_steps:
                if not override_reason:
                    raise DomainError(
                        _("Required steps of this stage are still open."),
                        "steps_open",
                        steps=[
                            {"id": s.pk, "clause": s.clause, "title": s.title} for s in open_steps
                        ],
                    )
                if not can_override_steps(actor, meeting):
                    raise PermissionDenied(
                        _("Only an organiser may advance a meeting past open steps."),
                        "override_forbidden",
                    )
                overridden = [{"id": s.pk, "clause": s.clause} for s in open_steps]
        meeting.stage = to
        meeting.stage_changed_at = timezone.now()
        meeting.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        audit.record(
            "meetings.meeting.stage_overridden" if overridden else "meetings.meeting.stage_changed",
            meeting,
            actor=actor,
            changes={"stage": [current, to]},
            data={"override_reason": override_reason, "open_steps": overridden}
            if overridden
            else ({"reason": reason} if reason else {}),
        )
        # Inside the transaction: outbox rows and released rooms commit or roll back with it.
        signals.meeting_stage_changed.send(
            Meeting, meeting=meeting, actor=actor, from_stage=current, to_stage=to
        )
    return meeting


GUEST_FIELDS = ("name", "email", "phone", "organisation", "title", "language", "seat_preference")


def add_participant(
    meeting: Meeting,
    *,
    actor: User,
    user: User | None = None,
    contact: ExternalContact | None = None,
    role: str = MeetingRole.PARTICIPANT,
    attendance: str = Attendance.REQUIRED,
    duties: str = "",
    **person: str,
) -> Participant:
    """Put a person on the meeting in a role. Adding the same person in the same role twice is
    refused; in another role, the role is added to their row (one person, one row).

    The person is a user, an external contact, or a guest given by `person`
    (name, email, phone, organisation, title, language, seat_preference);
    for users and contacts those fields override the snapshot taken from them.
    """
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    return _put_on_meeting(
        meeting,
        actor=actor,
        user=user,
        contact=contact,
        role=role,
        attendance=attendance,
        duties=duties,
        **person,
    )


def add_walk_in(
    meeting: Meeting,
    *,
    actor: User,
    name: str,
    phone: str = "",
    organisation: str = "",
    role: str = MeetingRole.PARTICIPANT,
) -> Participant:
    """Someone not on the list arrives at the door: put them on the meeting as a guest whose
    attendance is optional. The desk may do it (`can_register_walk_ins`: staff, the desk duty),
    not only those who manage the meeting; the caller signs them in."""
    if not can_register_walk_ins(actor, meeting):
        raise PermissionDenied()
    return _put_on_meeting(
        meeting,
        actor=actor,
        role=role,
        attendance=Attendance.OPTIONAL,
        name=name,
        phone=phone,
        organisation=organisation,
    )


def _put_on_meeting(
    meeting: Meeting,
    *,
    actor: User,
    user: User | None = None,
    contact: ExternalContact | None = None,
    role: str = MeetingRole.PARTICIPANT,
    attendance: str = Attendance.REQUIRED,
    duties: str = "",
    **person: str,
) -> Participant:
    """`add_participant` once the actor is authorised."""
    unknown = set(person) - set(GUEST_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    if user is not None and contact is not None:
        raise ValidationFailed(_("Name either a user or an external contact."), "person_required")
    snapshot = {
        **Participant.snapshot_of(user=user, contact=contact),
        **{k: v for k, v in person.items() if v},
    }
    snapshot["name"] = (snapshot.get("name") or "").strip()
    if user is None and contact is None and not snapshot["name"]:
        raise ValidationFailed(_("A name is required."), "person_required", field="name")
    if role not in MeetingRole.values:
        raise ValidationFailed(_("Unknown meeting role."), "unknown_role", field="role")
    if attendance not in Attendance.values:
        raise ValidationFailed(
            _("Unknown attendance type."), "unknown_attendance", field="attendance"
        )
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        same = Participant.objects.filter(meeting=meeting, user=user, contact=contact)
        if user is None and contact is None:
            same = (
                same.filter(email=snapshot.get("email", ""))
                if snapshot.get("email")
                else same.none()
            )
        present = same.first()
        if present is not None and present.has_role(role):
            raise DomainError(
                _("This person already has that role on the meeting."), "participant_exists"
            )
        if present is not None:  # one person, one row: the role joins their others
            present.extra_roles = [*present.extra_roles, role]
            present.save(update_fields=["extra_roles"])
            audit.record(
                "meetings.participant.role_added",
                meeting,
                actor=actor,
                data={"participant": present.pk, "person": present.display_name, "role": role},
            )
            meeting.__dict__.pop("_roles_cache", None)
            return present
        participant = Participant.objects.create(
            meeting=meeting,
            user=user,
            contact=contact,
            role=role,
            attendance=attendance,
            duties=duties,
            # Typed duties (an import, the API) start with the kinds they name (ADR 0030).
            duty_kinds=kinds_in(duties),
            **snapshot,
        )
        audit.record(
            "meetings.participant.added",
            meeting,
            actor=actor,
            data={"participant": participant.pk, "person": participant.display_name, "role": role},
        )
    meeting.__dict__.pop("_roles_cache", None)
    return participant


@dataclass(frozen=True)
class NewParticipant:
    """One person to put on a meeting: a user, an external contact, or a guest (snapshot only).

    `snapshot` overrides the fields taken from the user or contact (name, email, phone,
    organisation, title, language, seat_preference), empty values included.
    """

    role: str = MeetingRole.PARTICIPANT
    attendance: str = Attendance.REQUIRED
    user: User | None = None
    contact: ExternalContact | None = None
    duties: str = ""
    substitute_for: Participant | None = None
    snapshot: Mapping[str, str] = field(default_factory=dict)

    def key(self) -> tuple[str, str, object]:
        """Who this is in its role: the same key twice is one person in one role."""
        return (self.role, *self.person_key())

    def person_key(self) -> tuple[str, object]:
        """Who this is: the same key twice is one person (the unique constraints)."""
        if self.user is not None:
            return ("user", self.user.pk)
        if self.contact is not None:
            return ("contact", self.contact.pk)
        return ("guest", (self.snapshot.get("email") or "").lower() or id(self))


def add_participants(
    meeting: Meeting,
    *,
    entries: Iterable[NewParticipant],
    actor: User | None,
    audit_as: str | None = "meetings.participants.added",
    data: Mapping[str, Any] | None = None,
    refuse_present: bool = False,
) -> list[Participant]:
    """Put many people on the meeting at once: the one place participants are created in bulk.

    Callers authorise (invitations: `can_manage_invitations`; a public registration has no
    actor). Under the meeting's lock, people already on the meeting in that role, and entries
    naming the same person twice, are skipped, never duplicated (`refuse_present`: refused,
    `participant_exists`, for callers adding one named person); a frozen meeting takes no one
    (`meeting_frozen`). One audit entry `audit_as` (count, role(s) and `data`) when someone
    was added; `audit_as=None` when the caller records its own. Returns the new rows.
    """
    entries = list(entries)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_frozen:
            raise DomainError(
                _("A closed or cancelled meeting cannot be changed."), "meeting_frozen"
            )
        # One person, one row: a person already on the meeting (or earlier in `entries`) in
        # another role gets the role added to their row.
        people: dict[tuple[str, object], Participant] = {}
        for present in Participant.objects.filter(meeting=meeting):
            if present.user_id is not None:
                people[("user", present.user_id)] = present
            elif present.contact_id is not None:
                people[("contact", present.contact_id)] = present
            elif present.email:
                people[("guest", present.email.lower())] = present
        rows: list[Participant] = []
        widened: dict[int, Participant] = {}
        added_roles: set[str] = set()
        for entry in entries:
            known = people.get(entry.person_key())
            if known is not None and known.has_role(entry.role):
                if refuse_present:
                    raise DomainError(
                        _("This person already has that role on the meeting."),
                        "participant_exists",
                    )
                continue
            if known is not None:
                known.extra_roles = [*known.extra_roles, entry.role]
                added_roles.add(entry.role)
                if known.pk is not None:
                    widened[known.pk] = known
                continue
            snapshot = {
                **Participant.snapshot_of(user=entry.user, contact=entry.contact),
                **entry.snapshot,
            }
            row = Participant(
                meeting=meeting,
                user=entry.user,
                contact=entry.contact,
                role=entry.role,
                attendance=entry.attendance,
                duties=entry.duties,
                duty_kinds=kinds_in(entry.duties),
                substitute_for=entry.substitute_for,
                **snapshot,
            )
            rows.append(row)
            people[entry.person_key()] = row
        if widened:
            Participant.objects.bulk_update(list(widened.values()), ["extra_roles"])
        for row in rows:
            row.fill_name_keys()  # bulk_create passes by save()
        created = Participant.objects.bulk_create(rows, batch_size=1000)
        if (created or widened) and audit_as:
            roles = sorted({p.role for p in created} | added_roles)
            audit.record(
                audit_as,
                meeting,
                actor=actor,
                data={
                    "count": len(created),
                    **({"roles_added": len(widened)} if widened else {}),
                    "role": roles[0] if len(roles) == 1 else roles,
                    **(data or {}),
                },
            )
    meeting.__dict__.pop("_roles_cache", None)
    return created


def remove_participant(participant: Participant, *, actor: User) -> None:
    """Take a person off the meeting. Receivers of `participant_removed` (invitations: a CANCEL
    to an invited person) write their rows in this transaction, before the row goes."""
    meeting = participant.meeting
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        signals.participant_removed.send(
            Participant, meeting=meeting, actor=actor, participant=participant
        )
        audit.record(
            "meetings.participant.removed",
            meeting,
            actor=actor,
            data={
                "participant": participant.pk,
                "person": participant.display_name,
                "role": participant.role,
            },
        )
        participant.delete()
    meeting.__dict__.pop("_roles_cache", None)
