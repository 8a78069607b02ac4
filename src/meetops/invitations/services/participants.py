"""Putting people on a meeting: from users, departments, saved groups, contacts and imported lists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.invitations.models import SavedGroup
from meetops.invitations.permissions import can_manage_invitations, can_use_group
from meetops.meetings.models import Attendance, DutyKind, Meeting, MeetingRole, Participant
from meetops.meetings.services import NewParticipant, add_participants
from meetops.people.models import Department, ExternalContact, User
from meetops.people.selectors import users_in_department_subtree

SNAPSHOT_FIELDS = ("name", "email", "phone", "organisation", "title", "language", "seat_preference")
EDITABLE = (
    "role",
    "attendance",
    "duty_kinds",
    "duties",
    "seat_preference",
    "phone",
    "email",
    "title",
    "organisation",
)


def _guard(meeting: Meeting, actor: User) -> None:
    if not can_manage_invitations(actor, meeting):
        raise PermissionDenied()
    if meeting.is_frozen:
        raise DomainError(_("A closed or cancelled meeting cannot be changed."), "meeting_frozen")


def _check_choice(role: str, attendance: str) -> None:
    if role not in MeetingRole.values:
        raise ValidationFailed(_("Unknown meeting role."), "unknown_role", field="role")
    if attendance not in Attendance.values:
        raise ValidationFailed(
            _("Unknown attendance type."), "unknown_attendance", field="attendance"
        )


@dataclass
class AddResult:
    added: int = 0
    skipped: int = 0


def add_people(
    meeting: Meeting,
    *,
    actor: User,
    users: Iterable[User] = (),
    contacts: Iterable[ExternalContact] = (),
    department: Department | None = None,
    group: SavedGroup | None = None,
    role: str = MeetingRole.PARTICIPANT,
    attendance: str = Attendance.REQUIRED,
) -> AddResult:
    """Add users, a department's whole subtree, a saved group and contacts in one go.

    People already on the meeting in that role are skipped, not duplicated.
    """
    _guard(meeting, actor)
    _check_choice(role, attendance)
    if group is not None and not can_use_group(actor, group):
        raise PermissionDenied()
    user_ids = {u.pk for u in users}
    contact_ids = {c.pk for c in contacts}
    if department is not None:
        user_ids |= set(users_in_department_subtree(department).values_list("pk", flat=True))
    if group is not None:
        user_ids |= set(group.users.filter(is_active=True).values_list("pk", flat=True))
        contact_ids |= set(group.contacts.values_list("pk", flat=True))
    requested = len(user_ids) + len(contact_ids)
    people = [
        NewParticipant(role=role, attendance=attendance, user=u)
        for u in User.objects.filter(pk__in=user_ids).select_related("department").order_by("pk")
    ] + [
        NewParticipant(role=role, attendance=attendance, contact=c)
        for c in ExternalContact.objects.filter(pk__in=contact_ids).order_by("pk")
    ]
    rows = add_participants(
        meeting,
        entries=people,
        actor=actor,
        data={
            "department": department.pk if department else None,
            "group": group.pk if group else None,
        },
    )
    return AddResult(added=len(rows), skipped=requested - len(rows))


def update_participant(participant: Participant, *, actor: User, **fields: Any) -> Participant:
    """Change a participant's role, attendance type, duties, seat preference or contact details."""
    meeting = participant.meeting
    _guard(meeting, actor)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    _check_choice(
        fields.get("role", participant.role), fields.get("attendance", participant.attendance)
    )
    if fields.get("email"):
        _valid_email(fields["email"])
    if "duty_kinds" in fields:
        wanted = {str(kind) for kind in fields["duty_kinds"]}
        if wanted - set(DutyKind.values):
            raise ValidationFailed(_("Unknown kind of duty."), "unknown_duty", field="duty_kinds")
        fields["duty_kinds"] = [kind for kind in DutyKind.values if kind in wanted]
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        before = audit.snapshot(participant, list(fields))
        for name, value in fields.items():
            setattr(participant, name, value)
        changes = audit.diff(before, audit.snapshot(participant, list(fields)))
        if changes:
            participant.save(update_fields=list(changes))
            audit.record(
                "meetings.participant.updated",
                meeting,
                actor=actor,
                changes=changes,
                data={"participant": participant.pk, "person": participant.display_name},
            )
    meeting.__dict__.pop("_roles_cache", None)
    meeting.__dict__.pop("_duties_cache", None)
    return participant


def _valid_email(value: str) -> None:
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValidationFailed(
            _("Not a valid e-mail address."), "invalid_email", field="email"
        ) from exc


# ---------------------------------------------------------------- import

PHONE = re.compile(r"^\+?[0-9 ()\-]{5,30}$")


def phone_key(phone: str) -> str:
    """Digits only, so "138-0013 8000" and "13800138000" are the same number."""
    return re.sub(r"\D", "", phone)


def _role_lookup() -> dict[str, str]:
    """Role codes and their names in every interface language → code."""
    lookup = {code: code for code in MeetingRole.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in MeetingRole.choices:
                lookup[str(label).lower()] = code
                lookup[str(label).split(" (")[0].split("（")[0].lower()] = code
    # Everyday names on Chinese lists, whatever the catalogues say.
    lookup.update(
        {
            "组织者": MeetingRole.ORGANISER,
            "組織者": MeetingRole.ORGANISER,
            "主持人": MeetingRole.HOST,
            "记录员": MeetingRole.RECORDER,
            "記錄員": MeetingRole.RECORDER,
            "发言人": MeetingRole.SPEAKER,
            "發言人": MeetingRole.SPEAKER,
            "工作人员": MeetingRole.STAFF,
            "工作人員": MeetingRole.STAFF,
            "参会人员": MeetingRole.PARTICIPANT,
            "參會人員": MeetingRole.PARTICIPANT,
            "列席": MeetingRole.OBSERVER,
        }
    )
    return lookup


def _attendance_lookup() -> dict[str, str]:
    lookup = {code: code for code in Attendance.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Attendance.choices:
                lookup[str(label).lower()] = code
    lookup.update(
        {
            "必须": Attendance.REQUIRED,
            "必須": Attendance.REQUIRED,
            "可选": Attendance.OPTIONAL,
            "可選": Attendance.OPTIONAL,
        }
    )
    return lookup


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _row_error(
    row: int, field_name: str, code: str, message: str, column: str = ""
) -> dict[str, Any]:
    """One bad row: its number in the sheet, the field, and the sheet's column letter if
    known (the message then names it too)."""
    if column:
        message = _("%(message)s (column %(column)s)") % {"message": message, "column": column}
    return {"row": row, "field": field_name, "column": column, "code": code, "message": message}


def _with_column(error: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    column = columns.get(error["field"], "")
    if not column:
        return error
    return _row_error(error["row"], error["field"], error["code"], error["message"], column)


def _clean_rows(
    rows: Sequence[dict[str, str]],
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Check each row; rows are numbered as in the spreadsheet (header is row 1)."""
    roles, attendances = _role_lookup(), _attendance_lookup()
    languages = {code for code, _n in settings.LANGUAGES}
    cleaned, errors = [], []
    columns_of: dict[int, dict[str, str]] = {}
    for index, raw in enumerate(rows, start=2):
        # Rows read from a sheet know their own number and columns (a title row may sit above
        # the headers); rows from the API are numbered as if the header were row 1.
        number: int = getattr(raw, "number", index)
        columns_of[number] = getattr(raw, "columns", {})
        if not any(raw.values()):
            continue
        row = {k: raw.get(k, "").strip() for k in (*SNAPSHOT_FIELDS, "role", "attendance")}
        row["_row"] = str(number)
        if not row["name"]:
            errors.append(
                _row_error(
                    number,
                    "name",
                    "name_required",
                    _("Row %(row)d: the name is missing.") % {"row": number},
                )
            )
        if len(row["name"]) > 150:
            errors.append(
                _row_error(
                    number,
                    "name",
                    "too_long",
                    _("Row %(row)d: the name is too long.") % {"row": number},
                )
            )
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                errors.append(
                    _row_error(
                        number,
                        "email",
                        "invalid_email",
                        _("Row %(row)d: “%(value)s” is not a valid e-mail address.")
                        % {"row": number, "value": row["email"]},
                    )
                )
        if row["phone"] and not PHONE.match(row["phone"]):
            errors.append(
                _row_error(
                    number,
                    "phone",
                    "invalid_phone",
                    _("Row %(row)d: “%(value)s” is not a phone number.")
                    % {"row": number, "value": row["phone"]},
                )
            )
        role = roles.get(row["role"].lower()) if row["role"] else MeetingRole.PARTICIPANT
        if role is None:
            errors.append(
                _row_error(
                    number,
                    "role",
                    "unknown_role",
                    _("Row %(row)d: unknown role “%(value)s”.")
                    % {"row": number, "value": row["role"]},
                )
            )
        row["role"] = role or ""
        attendance = (
            attendances.get(row["attendance"].lower()) if row["attendance"] else Attendance.REQUIRED
        )
        if attendance is None:
            errors.append(
                _row_error(
                    number,
                    "attendance",
                    "unknown_attendance",
                    _("Row %(row)d: unknown attendance type “%(value)s”.")
                    % {"row": number, "value": row["attendance"]},
                )
            )
        row["attendance"] = attendance or ""
        if row["language"] and row["language"].lower() not in languages:
            errors.append(
                _row_error(
                    number,
                    "language",
                    "unknown_language",
                    _("Row %(row)d: unknown language “%(value)s”.")
                    % {"row": number, "value": row["language"]},
                )
            )
        row["language"] = row["language"].lower()
        cleaned.append(row)
    return cleaned, [_with_column(e, columns_of.get(e["row"], {})) for e in errors]


def import_participants(
    meeting: Meeting, *, actor: User, rows: Sequence[dict[str, str]], merge: bool = False
) -> ImportResult:
    """Import a list of people: all rows or none.

    Every row is checked and every problem reported with its row number; if any
    row fails nothing is written (`import_failed`, details.rows). People already
    on the meeting, or listed twice, are found by e-mail or phone: reported as
    `duplicate` unless `merge` is set, in which case their details are merged.
    """
    _guard(meeting, actor)
    cleaned, errors = _clean_rows(rows)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        existing = list(Participant.objects.filter(meeting=meeting))
        by_email = {p.email.lower(): p for p in existing if p.email}
        by_phone = {phone_key(p.phone): p for p in existing if p.phone}
        emails = {r["email"].lower() for r in cleaned if r["email"]}
        users = (
            {
                u.email.lower(): u
                for u in User.objects.filter(is_active=True).filter(
                    Q(email__in=emails) | Q(email__in=[e.upper() for e in emails])
                )
                if u.email
            }
            if emails
            else {}
        )
        seen_email: dict[str, dict[str, str]] = {}
        seen_phone: dict[str, dict[str, str]] = {}
        to_create: list[dict[str, str]] = []
        to_merge: dict[int, tuple[Participant, dict[str, str]]] = {}
        for row in cleaned:
            number = int(row["_row"])
            email, phone = row["email"].lower(), phone_key(row["phone"])
            twin = (email and seen_email.get(email)) or (phone and seen_phone.get(phone))
            match = (email and by_email.get(email)) or (phone and by_phone.get(phone))
            if (twin or match) and not merge:
                if twin:
                    other = _("row %(row)s") % {"row": twin["_row"]}
                else:
                    other = match.display_name if match else ""
                errors.append(
                    _row_error(
                        number,
                        "email" if email else "phone",
                        "duplicate",
                        _("Row %(row)d: the same person as %(other)s (same e-mail or phone).")
                        % {"row": number, "other": other},
                    )
                )
                continue
            if twin:
                for key in SNAPSHOT_FIELDS:
                    twin[key] = twin[key] or row[key]
                continue
            if match:
                entry = to_merge.setdefault(match.pk, (match, {}))
                entry[1].update(
                    {
                        k: row[k]
                        for k in SNAPSHOT_FIELDS
                        if row[k] and not (k == "email" and row[k].lower() == match.email.lower())
                    }
                )
                continue
            if email:
                seen_email[email] = row
            if phone:
                seen_phone[phone] = row
            to_create.append(row)
        if errors:
            errors.sort(key=lambda e: e["row"])
            raise ValidationFailed(
                _("The list was not imported: %(count)d problem(s) to fix.")
                % {"count": len(errors)},
                "import_failed",
                rows=errors,
            )
        new = add_participants(
            meeting,
            entries=[
                NewParticipant(
                    role=row["role"],
                    attendance=row["attendance"],
                    user=users.get(row["email"].lower()) if row["email"] else None,
                    snapshot={k: row[k] for k in SNAPSHOT_FIELDS},
                )
                for row in to_create
            ],
            actor=actor,
            audit_as=None,  # one "imported" entry below, merges included
        )
        for participant, values in to_merge.values():
            for key, value in values.items():
                setattr(participant, key, value)
            participant.save(update_fields=list(values) or ["name"])
        audit.record(
            "meetings.participants.imported",
            meeting,
            actor=actor,
            data={"created": len(new), "merged": len(to_merge)},
        )
    meeting.__dict__.pop("_roles_cache", None)
    return ImportResult(created=len(new), merged=len(to_merge))


# ---------------------------------------------------------------- the staffing plan

MAX_DUTY_NOTE = 5000


@dataclass(frozen=True)
class DutyRow:
    """One person's duties as the staffing plan gives them: kinds (DutyKind values) and a note."""

    participant_id: int
    kinds: Sequence[str] = ()
    note: str = ""


def _duty_problems(rows: Sequence[DutyRow]) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if {str(kind) for kind in row.kinds} - set(DutyKind.values):
            problems.append(
                {"index": index, "field": "kinds", "message": _("Unknown kind of duty.")}
            )
        if len(row.note.strip()) > MAX_DUTY_NOTE:
            problems.append(
                {
                    "index": index,
                    "field": "note",
                    "message": _("Keep the note under %(max)d characters.")
                    % {"max": MAX_DUTY_NOTE},
                }
            )
    return problems


def give_duties(meeting: Meeting, *, actor: User, rows: Sequence[DutyRow]) -> int:
    """Set the duty kinds and notes of the people in `rows` (the staffing plan, P2.5), all or
    none; returns how many people's duties changed. Each change is audited with before/after."""
    _guard(meeting, actor)
    problems = _duty_problems(rows)
    if problems:
        raise ValidationFailed(
            _("The duties were not saved: see the rows marked."), "invalid_duties", rows=problems
        )
    changed = 0
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Participant.objects.select_for_update().filter(
                meeting=meeting, pk__in=[row.participant_id for row in rows]
            )
        }
        gone = [
            {"index": i, "field": "name", "message": _("No longer on the meeting.")}
            for i, row in enumerate(rows)
            if row.participant_id not in locked
        ]
        if gone:
            raise ValidationFailed(
                _("Someone in the plan was removed from the meeting meanwhile."),
                "participant_gone",
                rows=gone,
            )
        for row in rows:
            participant = locked[row.participant_id]
            wanted = {str(kind) for kind in row.kinds}
            kinds = [kind for kind in DutyKind.values if kind in wanted]
            note = row.note.strip()
            before = {"duty_kinds": participant.duty_kinds, "duties": participant.duties}
            changes = audit.diff(before, {"duty_kinds": kinds, "duties": note})
            if not changes:
                continue
            participant.duty_kinds, participant.duties = kinds, note
            participant.save(update_fields=list(changes))
            audit.record(
                "meetings.participant.duties_given",
                meeting,
                actor=actor,
                changes=changes,
                data={"participant": participant.pk, "person": participant.display_name},
            )
            changed += 1
    meeting.__dict__.pop("_duties_cache", None)
    return changed
