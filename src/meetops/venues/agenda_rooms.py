"""Offers the agenda editor the rooms booked (confirmed) for a meeting, for multi-room events."""

from __future__ import annotations

from meetops.agenda.rooms import register_room_source
from meetops.meetings.models import Meeting
from meetops.venues.models import Booking, BookingStatus


@register_room_source
def confirmed_rooms(meeting: Meeting) -> list[str]:
    """Names of the rooms of the meeting's confirmed bookings, in booking order. One query."""
    names = (
        Booking.objects.filter(meeting=meeting, status=BookingStatus.CONFIRMED)
        .order_by("start", "pk")
        .values_list("room__name", flat=True)
    )
    return list(dict.fromkeys(names))
