"""Completion rules this app can judge from its own evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting
from meetops.venues.models import Booking, BookingStatus


@completion_rule("venues.booking_confirmed", _("A confirmed room booking exists"))
def booking_confirmed(meeting: Meeting) -> bool:
    return Booking.objects.filter(meeting=meeting, status=BookingStatus.CONFIRMED).exists()
