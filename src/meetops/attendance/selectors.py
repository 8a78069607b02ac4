"""Reads for the desk, the sheet and the API. Query counts do not grow with the number of people."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from meetops.attendance.models import SignIn
from meetops.meetings.models import Meeting, MeetingRole, Participant, ParticipantStatus

MAX_QUERY = 100


def on_the_list(meeting: Meeting) -> QuerySet[Participant]:
    """Who the desk expects: everyone on the meeting except its organisers (as for invitations)."""
    return Participant.objects.filter(meeting=meeting).exclude(role=MeetingRole.ORGANISER)


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


def people_at_desk(meeting: Meeting, *, q: str = "") -> list[Participant]:
    """The meeting's people with `signin` (live, or None) attached; not yet signed in first.

    `q` matches the name, the department/company, or digits of the phone number.
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
        .order_by("name", "id")
    )
    q = q.strip()[:MAX_QUERY]
    if q:
        match = Q(name__icontains=q) | Q(organisation__icontains=q) | Q(phone__contains=q)
        digits = re.sub(r"\D", "", q)
        if len(digits) >= 3:
            match |= Q(phone__contains=digits)
        qs = qs.filter(match)
    rows: list[Participant] = []
    for p in qs:
        p.signin = p.live_signins[0] if p.live_signins else None  # type: ignore[attr-defined]
        rows.append(p)
    rows.sort(key=lambda p: (p.signin is not None, p.status != ParticipantStatus.ACTIVE))  # type: ignore[attr-defined]
    return rows


def sheet_rows(meeting: Meeting) -> list[Participant]:
    """Everyone on the meeting in list order (role, then name), with `signin` attached: the attendance sheet."""
    order = {code: n for n, code in enumerate(MeetingRole.values)}
    return sorted(people_at_desk(meeting), key=lambda p: (order.get(p.role, 99), p.name, p.pk))
