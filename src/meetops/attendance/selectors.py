"""Reads for the desk, the sheet and the API: settings and windows, codes, counts, lists.

Query counts do not grow with the number of people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.attendance.models import DeskSettings, SignIn
from meetops.core.errors import NotFound
from meetops.core.prepared import NextId, Prepared
from meetops.core.schemas import MAX_DB_ID
from meetops.core.validation import shifted
from meetops.invitations.models import Invitation
from meetops.meetings.models import Meeting, MeetingRole, Participant, ParticipantStatus, only_in
from meetops.meetings.permissions import can_view_meeting
from meetops.meetings.selectors import caller_roles, with_caller_roles
from meetops.people.models import User
from meetops.people.names import pinyin_query
from meetops.people.selectors import HeldRoles, remember_held_roles


class _DeskAttrs(TypedDict):
    live_signins: list[SignIn]  # the Prefetch's to_attr
    signin: SignIn | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A participant with its live sign-in (or None) attached, for the desk and the sheet.
    DeskRow = WithAnnotations[Participant, _DeskAttrs]

MAX_QUERY = 100


def settings_of(meeting: Meeting) -> DeskSettings:
    """The meeting's desk settings; defaults (not saved) when nobody changed them."""
    cached = meeting.__dict__.get("_desk_settings")
    if cached is None:
        cached = DeskSettings.objects.filter(meeting=meeting).first() or DeskSettings(
            meeting=meeting
        )
        meeting.__dict__["_desk_settings"] = cached
    return cached


# Where `_scanned_at_desk` leaves the drawn id on the participant (None: not PostgreSQL).
NEW_SIGNIN_ID = "_new_signin_id"
# Compiled once per connection (core.prepared): building these querysets cost more than running them.
_meeting_for_desk = Prepared(
    lambda user_id, pk: (
        Meeting.objects.select_related("desk_settings")
        .annotate(_caller_roles=caller_roles(user_id), _caller_held=HeldRoles(user_id))
        .filter(pk=pk)[:1]
    ),
    -1,
    -2,
    plan_once=True,
)
_participant_by_code = Prepared(
    lambda code: Participant.objects.filter(
        invitation__checkin_code=code, invitation__revoked_at=None
    )[:1],
    "code",
    plan_once=True,
)
# The scan's two reads in one: the participant of a live code of this meeting, with the
# meeting as `_meeting_for_desk` reads it; on PostgreSQL also the id its sign-in will have
# (`NEW_SIGNIN_ID`), so the sign-in and its audit entry go in one statement.
_scanned_at_desk = Prepared(
    lambda user_id, pk, code: (
        Participant.objects.select_related("meeting__desk_settings")
        .annotate(
            _caller_roles=caller_roles(user_id),
            _caller_held=HeldRoles(user_id),
            **{NEW_SIGNIN_ID: NextId(SignIn)},
        )
        .filter(meeting_id=pk, invitation__checkin_code=code, invitation__revoked_at=None)[:1]
    ),
    -1,
    -2,
    "code",
    plan_once=True,
)
# "123456" or "123 456": the short code a person reads out (their QR is the 43-character one).
SHORT_CODE = re.compile(r"(\d{3})[ -]?(\d{3})")
MAX_CODE = 64


def code_from_scan(text: str) -> str:
    """What a keyboard-wedge scanner types: the bare code or the full `<site>/checkin/<code>` URL."""
    text = text.strip()
    if "/checkin/" in text:
        text = text.rsplit("/checkin/", 1)[1]
    return text.split("?", 1)[0].strip("/ ")


def get_meeting_for_desk(user: User, pk: int, *, code: str | None = None) -> Meeting:
    """`get_meeting_for_user` for the desk's hot paths, in one query: 404 for who may not see it.

    The meeting comes with its desk settings, the caller's roles on it and the caller's
    global roles (`held_role_codes`) already cached, so the permission predicates and the
    late/opening windows cost no further query.
    With `code` (what the desk scanned), the participant whose live sign-in code it is comes
    in the same query when the code is this meeting's, and `participant_for_scan` then asks
    nothing; any other code is looked up as before.
    """
    if not 0 < pk <= MAX_DB_ID or not user.is_authenticated:
        raise NotFound()
    scanned = code_from_scan(code) if code is not None else ""
    if scanned and len(scanned) <= MAX_CODE and not SHORT_CODE.fullmatch(scanned):
        participants = _scanned_at_desk(user.pk, pk, scanned)
        if participants:
            meeting = participants[0].meeting
            meeting.__dict__["_scanned"] = {scanned: participants[0]}
            remember_held_roles(user, participants[0]._caller_held)
            return _ready_for_desk(meeting, user, participants[0]._caller_roles)
    found = _meeting_for_desk(user.pk, pk)
    if not found:
        raise NotFound()
    remember_held_roles(user, getattr(found[0], "_caller_held", None))
    return _ready_for_desk(found[0], user, getattr(found[0], "_caller_roles", None))


def _ready_for_desk(meeting: Meeting, user: User, roles: int | None) -> Meeting:
    with_caller_roles(meeting, user, roles)
    try:
        desk: DeskSettings = meeting.desk_settings
    except ObjectDoesNotExist:
        desk = DeskSettings(meeting=meeting)
    meeting.__dict__["_desk_settings"] = desk
    if not can_view_meeting(user, meeting):
        raise NotFound()
    return meeting


def opens_at(meeting: Meeting) -> datetime:
    return shifted(meeting.start, -timedelta(minutes=settings_of(meeting).opens_minutes))


def late_after(meeting: Meeting) -> datetime:
    """Arrivals after this moment are late: the start plus the meeting's grace minutes."""
    return shifted(meeting.start, timedelta(minutes=settings_of(meeting).grace_minutes))


def self_signin_open(meeting: Meeting, now: datetime | None = None) -> bool:
    """Whether a participant may sign themselves in now: switched on, and within the window."""
    now = now or timezone.now()
    return (
        settings_of(meeting).self_signin
        and not meeting.is_frozen
        and opens_at(meeting) <= now <= meeting.end
    )


def get_invitation_by_code(code: str) -> Invitation:
    """The live invitation behind a sign-in code: unknown or revoked codes are 404."""
    code = code.strip()
    invitation = (
        Invitation.objects.select_related("participant", "meeting", "meeting__kind")
        .filter(checkin_code=code, revoked_at__isnull=True)
        .first()
        if code and len(code) <= 64
        else None
    )
    if invitation is None:
        raise NotFound(_("This sign-in code is not known."), "unknown_code")
    return invitation


def participant_for_scan(code: str, meeting: Meeting | None = None) -> tuple[int, Participant]:
    """(meeting id, participant) behind a live sign-in code, by its unique index: unknown or revoked is 404.

    The desk's scan needs only the participant; `get_invitation_by_code` loads the invitation,
    its meeting and the meeting's kind. No query when `meeting` came from
    `get_meeting_for_desk` with this code and the code is one of its participants'.
    """
    code = code.strip()
    if meeting is not None and (known := meeting.__dict__.get("_scanned", {}).get(code)):
        return meeting.pk, known
    found = _participant_by_code(code) if code and len(code) <= MAX_CODE else []
    if not found:
        raise NotFound(_("This sign-in code is not known."), "unknown_code")
    participant = found[0]
    return participant.meeting_id, participant


def participant_for_short_code(meeting: Meeting, code: str) -> Participant | None:
    """The participant of this meeting whose live invitation has the six-digit `code`."""
    return (
        Participant.objects.filter(
            meeting=meeting, invitation__short_code=code, invitation__revoked_at=None
        )
        .order_by("pk")
        .first()
    )


def on_the_list(meeting: Meeting) -> QuerySet[Participant]:
    """Who the desk expects: everyone on the meeting except its organisers (as for invitations)."""
    return Participant.objects.filter(meeting=meeting).exclude(only_in([MeetingRole.ORGANISER]))


@dataclass(frozen=True)
class Summary:
    expected: int
    signed_in: int
    not_yet: int
    late: int
    walk_ins: int

    @property
    def percent(self) -> int:
        return round(100 * self.signed_in / self.expected) if self.expected else 0


def live_signins(meeting: Meeting) -> QuerySet[SignIn]:
    return SignIn.objects.filter(meeting=meeting, undone_at__isnull=True)


def signins_of(meeting: Meeting, *, include_undone: bool = False) -> QuerySet[SignIn]:
    """Sign-ins of the meeting, earliest first, with their people."""
    qs = SignIn.objects.filter(meeting=meeting) if include_undone else live_signins(meeting)
    return qs.select_related("participant", "by", "substitute_for").order_by("signed_in_at", "id")


def summary(meeting: Meeting) -> Summary:
    """Expected: everyone active on the list except walk-ins. Two queries."""
    active = on_the_list(meeting).filter(status=ParticipantStatus.ACTIVE).count()
    counts = live_signins(meeting).aggregate(
        total=Count("id"),
        late=Count("id", filter=Q(late=True)),
        walk_ins=Count("id", filter=Q(walk_in=True)),
    )
    expected = active - counts["walk_ins"]
    on_list = counts["total"] - counts["walk_ins"]
    return Summary(
        expected=expected,
        signed_in=on_list,
        not_yet=max(expected - on_list, 0),
        late=counts["late"],
        walk_ins=counts["walk_ins"],
    )


def people_at_desk(meeting: Meeting, *, q: str = "") -> list[DeskRow]:
    """The meeting's people with `signin` (live, or None) attached; not yet signed in first.

    `q` matches the name (also as pinyin: wangfang, wang f, wf → 王芳), the department/company,
    or digits of the phone number. People are in pinyin order of their names.
    """
    qs = (
        on_the_list(meeting)
        .select_related("substitute_for")
        .prefetch_related(
            Prefetch(
                "signins",
                queryset=SignIn.objects.filter(undone_at__isnull=True).select_related(
                    "substitute_for"
                ),
                to_attr="live_signins",
            )
        )
        .order_by("name_pinyin", "name_strokes", "id")
    )
    q = q.strip()[:MAX_QUERY]
    if q:
        match = Q(name__icontains=q) | Q(organisation__icontains=q) | Q(phone__contains=q)
        by_pinyin = pinyin_query(q)
        if by_pinyin is not None:
            match |= by_pinyin
        digits = re.sub(r"\D", "", q)
        if len(digits) >= 3:
            match |= Q(phone__contains=digits)
        qs = qs.filter(match)
    rows: list[DeskRow] = []
    for p in qs:
        row = cast("DeskRow", p)
        row.signin = row.live_signins[0] if row.live_signins else None
        rows.append(row)
    rows.sort(key=lambda p: (p.signin is not None, p.status != ParticipantStatus.ACTIVE))
    return rows


def sheet_rows(meeting: Meeting) -> list[DeskRow]:
    """Everyone on the meeting in list order (role, then name), with `signin` attached: the attendance sheet."""
    order = {code: n for n, code in enumerate(MeetingRole.values)}
    return sorted(
        people_at_desk(meeting),
        key=lambda p: (order.get(p.role, 99), p.name_pinyin, p.name_strokes, p.pk),
    )
