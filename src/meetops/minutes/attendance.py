"""The attendance line of the minutes: how many were expected, and, if known, present and absent.

MeetOps counts who was expected from the participant list. Who actually came is
known to the on-site sign-in app, which this app does not depend on: it
registers a provider here (from its `AppConfig.ready()`), and the minutes show
its counts:

    from meetops.minutes.attendance import register_attendance_provider

    @register_attendance_provider
    def signed_in(meeting) -> tuple[int, int] | None:   # (present, absent), or None: unknown
        ...

A provider must answer in a query or two: the minutes page's query count is pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q

from meetops.meetings.models import Attendance as AttendanceType
from meetops.meetings.models import Meeting, MeetingRole, ParticipantStatus, only_in

AttendanceProvider = Callable[[Meeting], "tuple[int, int] | None"]
_providers: list[AttendanceProvider] = []

# Those who run the meeting are not counted among its attendees.
NOT_ATTENDEES = (MeetingRole.STAFF, MeetingRole.RECORDER)


@dataclass(frozen=True)
class AttendanceSummary:
    expected: int
    required: int
    present: int | None = None
    absent: int | None = None

    @property
    def known(self) -> bool:
        return self.present is not None


def register_attendance_provider(provider: AttendanceProvider) -> AttendanceProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_attendance_provider(provider: AttendanceProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def attendance_of(meeting: Meeting) -> AttendanceSummary:
    """Expected attendees from the participant list (one query), plus the first provider's counts."""
    counts = (
        meeting.participants.filter(status=ParticipantStatus.ACTIVE)
        .exclude(only_in(NOT_ATTENDEES))
        .aggregate(
            expected=Count("id"),
            required=Count("id", filter=Q(attendance=AttendanceType.REQUIRED)),
        )
    )
    for provider in _providers:
        known = provider(meeting)
        if known is not None:
            return AttendanceSummary(counts["expected"], counts["required"], known[0], known[1])
    return AttendanceSummary(counts["expected"], counts["required"])
