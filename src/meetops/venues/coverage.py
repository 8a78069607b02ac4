"""Does the meeting have its rooms for its own time? One answer for P2.1, P2.2, readiness and pages.

A booking for the whole meeting (no `part`) must cover the meeting from its start to its end;
a named part (a rehearsal, a session) may be shorter or lie outside it. The meeting is covered
when its confirmed bookings, together, leave no minute of it without a room (one room for all
of it, or the morning's room and the afternoon's).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.meetings.models import Meeting
from meetops.venues.models import Booking, BookingStatus

Interval = tuple[datetime, datetime]


def gaps(start: datetime, end: datetime, intervals: Iterable[Interval]) -> list[Interval]:
    """The stretches of [start, end) that no interval covers, in order."""
    out: list[Interval] = []
    cursor = start
    for s, e in sorted(intervals):
        if e <= cursor:
            continue
        if s > cursor:
            out.append((cursor, min(s, end)))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        out.append((cursor, end))
    return [g for g in out if g[0] < g[1]]


def confirmed_intervals(meeting: Meeting) -> list[Interval]:
    """The confirmed bookings' intervals that meet the meeting's time (one query)."""
    return list(
        Booking.objects.filter(
            meeting=meeting,
            status=BookingStatus.CONFIRMED,
            start__lt=meeting.end,
            end__gt=meeting.start,
        ).values_list("start", "end")
    )


def is_covered(meeting: Meeting) -> bool:
    """Confirmed bookings leave no minute of the meeting without a room."""
    return not gaps(meeting.start, meeting.end, confirmed_intervals(meeting))


def covers(booking: Booking, meeting: Meeting) -> bool:
    return booking.start <= meeting.start and booking.end >= meeting.end


def span(start: datetime, end: datetime) -> str:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if local_start.date() == local_end.date():
        return f"{local_start:%Y-%m-%d %H:%M}–{local_end:%H:%M}"
    return f"{local_start:%Y-%m-%d %H:%M}–{local_end:%Y-%m-%d %H:%M}"


def meeting_span(meeting: Meeting) -> str:
    return span(meeting.start, meeting.end)


def problem(booking: Booking, meeting: Meeting) -> str:
    """What is wrong with a holding booking for its meeting, in words; "" when nothing is."""
    if booking.status not in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
        return ""
    if booking.not_moved:
        return _(
            "The meeting moved to %(meeting)s but this booking could not follow (%(why)s); "
            "it still holds %(booking)s."
        ) % {
            "meeting": meeting_span(meeting),
            "why": not_moved_reason(booking.not_moved),
            "booking": span(booking.start, booking.end),
        }
    if not booking.part and not covers(booking, meeting):
        return _(
            "This booking (%(booking)s) does not cover the meeting (%(meeting)s). Book the "
            "meeting's whole time, or name the part of the meeting this room is for."
        ) % {"booking": span(booking.start, booking.end), "meeting": meeting_span(meeting)}
    return ""


def not_moved_reason(code: str) -> str:
    reasons = {
        "booking_conflict": _("the room is taken then"),
        "room_blackout": _("the room is closed then"),
        "outside_bookable_hours": _("the room is not bookable at that time of day"),
        "booking_in_past": _("that time is already over"),
        "too_far_ahead": _("the room cannot be booked that far ahead"),
        "booking_too_long": _("the room cannot be booked for that long"),
    }
    return reasons.get(code, _("the room's rules refuse it"))
