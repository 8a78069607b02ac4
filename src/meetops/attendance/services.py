"""Every write of the sign-in desk: signing in (by scan, at the desk, by oneself), undoing, walk-ins, settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meetops.attendance.models import DeskSettings, Method, ShortCodeMiss, SignIn
from meetops.attendance.permissions import (
    can_admit_walk_ins,
    can_change_desk_settings,
    can_run_desk,
)
from meetops.attendance.selectors import (
    NEW_SIGNIN_ID,
    SHORT_CODE,
    code_from_scan,
    late_after,
    opens_at,
    participant_for_scan,
    participant_for_short_code,
    self_signin_open,
)
from meetops.core import audit, prepared
from meetops.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from meetops.core.prepared import Prepared
from meetops.invitations.models import Invitation
from meetops.meetings import services as meeting_services
from meetops.meetings.models import (
    Meeting,
    MeetingRole,
    Participant,
    ParticipantStatus,
)
from meetops.meetings.permissions import can_view_meeting
from meetops.people.models import User
from meetops.seating.services import seat_walk_in

MAX_NOTE = 300
SHORT_CODE_MISSES = 10
SHORT_CODE_WINDOW = timedelta(minutes=10)
MAX_GRACE = 240
MAX_OPENS = 24 * 60


@dataclass(frozen=True)
class SignInResult:
    signin: SignIn
    created: bool


def _check_can_sign_in(meeting: Meeting, participant: Participant, now: datetime) -> None:
    if participant.meeting_id != meeting.pk:
        raise NotFound()
    if meeting.is_frozen:
        raise DomainError(
            _("Sign-in is not possible for a closed or cancelled meeting."),
            "meeting_frozen",
        )
    if now < opens_at(meeting):
        raise DomainError(
            _("Sign-in opens at %(time)s.")
            % {
                "time": formats.date_format(
                    timezone.localtime(opens_at(meeting)), "DATETIME_FORMAT"
                )
            },
            "signin_not_open",
            opens_at=opens_at(meeting).isoformat(),
        )


def _check_not_replaced(participant: Participant) -> None:
    if participant.status == ParticipantStatus.SUBSTITUTED:
        substitute = participant.substitutes.first()
        raise DomainError(
            _("%(name)s is replaced by a substitute: %(substitute)s.")
            % {
                "name": participant.display_name,
                "substitute": substitute.display_name if substitute else "—",
            },
            "participant_substituted",
            substitute_id=substitute.pk if substitute else None,
        )


# The participant may be signed in: not replaced by a substitute. Read by the insert itself,
# so a substitution committed meanwhile is seen too.
_not_replaced = Prepared(
    lambda pk: (
        Participant.objects.filter(pk=pk)
        .exclude(status=ParticipantStatus.SUBSTITUTED)
        .values_list("pk")
    ),
    -1,
)
SIGNIN_CREATED = "attendance.signin.created"


def _insert_unless_live(signin: SignIn, data: dict[str, Any], actor: User | None) -> bool:
    """Insert the sign-in and its audit entry unless the participant has a live one or was
    replaced; whether it was written (`signin.pk` set).

    One statement decides the race: the partial unique index turns every concurrent
    second insert into "nothing inserted" (ON CONFLICT DO NOTHING, PostgreSQL and
    SQLite ≥ 3.35 alike), and the participant's status is read by the same statement.
    With the id already drawn (PostgreSQL: the desk's read, `NEW_SIGNIN_ID`), the audit
    entry goes in that same statement (`audit.insert_recorded`), so no transaction is
    needed; otherwise the entry follows the insert in one transaction (ADR 0014).
    """
    not_replaced, params = _not_replaced.sql(signin.participant_id)
    where = f"EXISTS ({not_replaced})"
    if signin.pk is not None:
        statement = prepared.insert_statement(signin, where, skip_conflicts=True)
        entry = audit.insert_recorded(
            statement,
            [*prepared.row_values(signin), *params],
            SIGNIN_CREATED,
            signin,
            actor=actor,
            data=data,
        )
        if entry is None:
            signin.pk = None
            return False
        signin._state.adding = False
        return True
    with transaction.atomic():
        if not prepared.insert_where(signin, where, params, skip_conflicts=True, plan_once=True):
            return False
        audit.record(SIGNIN_CREATED, signin, actor=actor, data=data, new_stream=True)
    return True


def _record(
    meeting: Meeting,
    participant: Participant,
    *,
    actor: User | None,
    method: str,
    note: str = "",
    walk_in: bool = False,
    substitute_for: Participant | None = None,
    at: datetime | None = None,
) -> SignInResult:
    """Sign the participant in (now, or `at` from a paper sheet), or return their live sign-in.

    Callers have authorised. Written: the insert and its audit entry (one statement on
    PostgreSQL after a scan, two in a transaction otherwise). Already in: the insert that
    did nothing, then the existing sign-in. The meeting's desk settings are read once per
    meeting object.
    """
    if method not in Method.values:
        raise ValidationFailed(_("Unknown sign-in method."), "unknown_method", field="method")
    if len(note) > MAX_NOTE:
        raise ValidationFailed(_("The note is too long."), "note_too_long", field="note")
    now = at or timezone.now()
    _check_can_sign_in(meeting, participant, now)
    _check_not_replaced(participant)  # as loaded; the insert checks again
    signin = SignIn(
        # Drawn by the desk's read on PostgreSQL, used once (None: the insert draws it).
        id=participant.__dict__.pop(NEW_SIGNIN_ID, None),
        meeting=meeting,
        participant=participant,
        signed_in_at=now,
        method=method,
        by=actor if getattr(actor, "pk", None) else None,
        late=now > late_after(meeting),
        walk_in=walk_in,
        substitute_for_id=substitute_for.pk if substitute_for else participant.substitute_for_id,
        note=note,
    )
    data = {
        "meeting": meeting.pk,
        "participant": participant.pk,
        "person": participant.display_name,
        "method": method,
        "late": signin.late,
        "walk_in": walk_in,
        "substitute_for": signin.substitute_for_id,
    }
    if _insert_unless_live(signin, data, actor):
        return SignInResult(signin, created=True)
    existing = (
        SignIn.objects.select_related("participant", "by", "substitute_for")
        .filter(participant=participant, undone_at__isnull=True)
        .first()
    )
    if existing is None:  # nothing live, so the status check refused: replaced meanwhile
        current = Participant.objects.filter(pk=participant.pk).first()
        if current is None:
            raise NotFound()
        _check_not_replaced(current)
        raise NotFound()  # a live sign-in undone between the two statements
    return SignInResult(existing, created=False)


def sign_in(
    meeting: Meeting,
    *,
    participant: Participant,
    actor: User,
    method: str = Method.DESK_MANUAL,
    note: str = "",
) -> SignInResult:
    """Desk staff sign a participant in. A second sign-in returns the first (created=False)."""
    if not can_run_desk(actor, meeting):
        raise PermissionDenied()
    return _record(meeting, participant, actor=actor, method=method, note=note)


def sign_in_by_code(meeting: Meeting, *, code: str, actor: User) -> SignInResult:
    """Desk staff scan a personal sign-in code (the code or the whole `/checkin/<code>` URL),
    or type the six-digit short code the person reads out."""
    if not can_run_desk(actor, meeting):
        raise PermissionDenied()
    code = code_from_scan(code)
    short = SHORT_CODE.fullmatch(code)
    if short:
        return _sign_in_by_short_code(meeting, short.group(1) + short.group(2), actor=actor)
    meeting_id, participant = participant_for_scan(code, meeting)
    if meeting_id != meeting.pk:
        other = Meeting.objects.get(pk=meeting_id)
        if not can_view_meeting(actor, other):
            # The desk may not learn that a meeting it cannot see exists, let alone its title.
            raise DomainError(_("This code belongs to another meeting."), "code_for_other_meeting")
        raise DomainError(
            _("This code belongs to another meeting: %(title)s.") % {"title": other.title},
            "code_for_other_meeting",
        )
    return _record(meeting, participant, actor=actor, method=Method.QR_SCAN)


def _sign_in_by_short_code(meeting: Meeting, code: str, *, actor: User) -> SignInResult:
    """A typed six-digit code: known only within the meeting, so wrong codes are limited per
    person (`SHORT_CODE_MISSES` in `SHORT_CODE_WINDOW`), each one recorded."""
    now = timezone.now()
    misses = ShortCodeMiss.objects.filter(meeting=meeting, by=actor, at__gt=now - SHORT_CODE_WINDOW)
    if misses.count() >= SHORT_CODE_MISSES:
        raise DomainError(
            _(
                "Too many wrong codes: six-digit codes are refused for %(minutes)d minutes. "
                "Scan the QR code or search by name."
            )
            % {"minutes": int(SHORT_CODE_WINDOW.total_seconds() // 60)},
            "too_many_wrong_codes",
        )
    participant = participant_for_short_code(meeting, code)
    if participant is None:
        ShortCodeMiss.objects.create(meeting=meeting, by=actor, at=now)
        raise NotFound(_("No one on this meeting has this code."), "unknown_code")
    return _record(meeting, participant, actor=actor, method=Method.DESK_MANUAL)


def self_sign_in(invitation: Invitation) -> SignInResult:
    """The participant signs themselves in from their code's page. Needs the meeting's switch and window."""
    meeting = invitation.meeting
    if not self_signin_open(meeting):
        raise DomainError(
            _("Self sign-in is not open. Show this code at the sign-in desk."), "self_signin_closed"
        )
    return _record(meeting, invitation.participant, actor=None, method=Method.SELF_LINK)


def undo_sign_in(signin: SignIn, *, actor: User, reason: str) -> SignIn:
    """Take back a sign-in made in error. Needs a reason; the row stays as history."""
    meeting = signin.meeting
    if not can_run_desk(actor, meeting):
        raise PermissionDenied()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), "reason_required", field="reason")
    if len(reason) > MAX_NOTE:
        raise ValidationFailed(_("The reason is too long."), "reason_too_long", field="reason")
    with transaction.atomic():
        signin = SignIn.objects.select_for_update().get(pk=signin.pk)
        if signin.undone_at is not None:
            raise DomainError(_("This sign-in was already undone."), "already_undone")
        signin.undone_at = timezone.now()
        signin.undone_by = actor
        signin.undo_reason = reason
        signin.save(update_fields=["undone_at", "undone_by", "undo_reason"])
        audit.record(
            "attendance.signin.undone",
            signin,
            actor=actor,
            data={"meeting": meeting.pk, "participant": signin.participant_id, "reason": reason},
        )
    return signin


def admit_walk_in(
    meeting: Meeting,
    *,
    actor: User,
    name: str,
    phone: str = "",
    organisation: str = "",
    substitute_for: Participant | None = None,
) -> SignInResult:
    """Someone not on the list arrives: add them as a guest (optional attendance), sign them in,
    and, when the meeting uses a seating plan, seat them (the seat of whom they came in place
    of, else a free one: the desk's banner shows it).

    With `substitute_for`, they came in place of that participant (代参会 announced at the desk).
    """
    if not can_admit_walk_ins(actor, meeting):
        raise PermissionDenied()
    if substitute_for is not None and substitute_for.meeting_id != meeting.pk:
        raise NotFound()
    with transaction.atomic():
        participant = meeting_services.add_walk_in(
            meeting,
            actor=actor,
            role=substitute_for.role if substitute_for else MeetingRole.PARTICIPANT,
            name=name,
            phone=phone,
            organisation=organisation,
        )
        result = _record(
            meeting,
            participant,
            actor=actor,
            method=Method.DESK_MANUAL,
            walk_in=True,
            substitute_for=substitute_for,
        )
        seat_walk_in(participant, actor=actor, instead_of=substitute_for)
        return result


def update_desk_settings(
    meeting: Meeting,
    *,
    actor: User,
    self_signin: bool,
    grace_minutes: int,
    opens_minutes: int,
) -> DeskSettings:
    """Switch self sign-in, and set when sign-in opens and when an arrival counts as late."""
    if not can_change_desk_settings(actor, meeting):
        raise PermissionDenied()
    if not 0 <= grace_minutes <= MAX_GRACE:
        raise ValidationFailed(
            _("Between 0 and %(max)d minutes.") % {"max": MAX_GRACE},
            "out_of_range",
            field="grace_minutes",
        )
    if not 0 <= opens_minutes <= MAX_OPENS:
        raise ValidationFailed(
            _("Between 0 and %(max)d minutes.") % {"max": MAX_OPENS},
            "out_of_range",
            field="opens_minutes",
        )
    fields = ["self_signin", "grace_minutes", "opens_minutes"]
    with transaction.atomic():
        desk, _created = DeskSettings.objects.select_for_update().get_or_create(meeting=meeting)
        before = audit.snapshot(desk, fields)
        desk.self_signin = self_signin
        desk.grace_minutes = grace_minutes
        desk.opens_minutes = opens_minutes
        changes = audit.diff(before, audit.snapshot(desk, fields))
        if changes:
            desk.save(update_fields=list(changes))
            audit.record("attendance.settings.updated", meeting, actor=actor, changes=changes)
        audit.note_outcome(desk, changes)
    meeting.__dict__["_desk_settings"] = desk
    return desk


# --- the paper sheet, entered afterwards ----------------------------------------------


@dataclass(frozen=True)
class PaperRow:
    """One line of a filled-in sheet: its row number, whose line it is, the time written on it."""

    row: int
    participant_id: int | None
    time: object


@dataclass
class PaperResult:
    recorded: int = 0
    already: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _paper_time(meeting: Meeting, value: object) -> datetime | None:
    """A sheet's time: a date-time cell, a time cell, "HH:MM" or "YYYY-MM-DD HH:MM".

    A bare time is put on the meeting's day (on the day after, for a meeting past midnight).
    """
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return None
    clock = value if isinstance(value, time) else None
    patterns = () if clock else ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%H:%M", "%H:%M:%S")
    for pattern in patterns:
        try:
            parsed = datetime.strptime(str(value).strip(), pattern)
        except ValueError:
            continue
        if parsed.year > 1900:  # a whole date and time
            return timezone.make_aware(parsed)
        clock = parsed.time()
        break
    if clock is None:
        return None
    first = timezone.localtime(opens_at(meeting)).date()
    last = timezone.localtime(meeting.end).date()
    candidates = [
        timezone.make_aware(datetime.combine(first + timedelta(days=n), clock))
        for n in range((last - first).days + 1)
    ]
    inside = [c for c in candidates if opens_at(meeting) <= c <= meeting.end]
    return (inside or candidates)[0]


def _paper_row_error(row: int, code: str, message: str) -> dict[str, Any]:
    return {
        "row": row,
        "code": code,
        "message": _("Row %(row)d: %(problem)s") % {"row": row, "problem": message},
    }


def record_paper_sheet(meeting: Meeting, *, actor: User, rows: Sequence[PaperRow]) -> PaperResult:
    """Enter a filled-in paper sheet: each line with a time becomes a sign-in ("import") at that time.

    All or nothing: if any line is wrong nothing is recorded (`sheet_errors`, with the rows).
    People already signed in keep their sign-in.
    """
    if not can_run_desk(actor, meeting):
        raise PermissionDenied()
    people = {p.pk: p for p in Participant.objects.filter(meeting=meeting)}
    signed = set(
        SignIn.objects.filter(meeting=meeting, undone_at__isnull=True).values_list(
            "participant_id", flat=True
        )
    )
    window = (opens_at(meeting), meeting.end)
    todo, result = [], PaperResult()
    for line in rows:
        if line.time in (None, ""):
            continue
        if line.participant_id in signed:
            result.already += 1  # the sheet as exported, or signed in at the desk meanwhile
            continue
        person = people.get(line.participant_id or 0)
        moment = _paper_time(meeting, line.time)
        if person is None:
            result.errors.append(
                _paper_row_error(
                    line.row, "unknown_participant", _("nobody on this meeting has this ID.")
                )
            )
        elif person.status == ParticipantStatus.SUBSTITUTED:
            result.errors.append(
                _paper_row_error(
                    line.row, "participant_substituted", _("this person sent a substitute.")
                )
            )
        elif moment is None:
            result.errors.append(
                _paper_row_error(line.row, "unreadable_time", _("write the time as HH:MM."))
            )
        elif not window[0] <= moment <= window[1]:
            result.errors.append(
                _paper_row_error(
                    line.row, "time_outside_meeting", _("the time is outside the sign-in window.")
                )
            )
        else:
            todo.append((person, moment))
    if result.errors:
        raise ValidationFailed(
            _("The sheet has errors; nothing was recorded."), "sheet_errors", rows=result.errors
        )
    with transaction.atomic():
        for person, moment in todo:
            created = _record(meeting, person, actor=actor, method=Method.IMPORT, at=moment).created
            result.recorded += created
            result.already += not created
    return result
