"""Completion rules this app can judge from its own evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting
from meetops.venues.coverage import is_covered


@completion_rule(
    "venues.booking_confirmed", _("Confirmed room bookings cover the meeting's whole time")
)
def booking_confirmed(meeting: Meeting) -> bool:
    """P2.2: a booking 08:00–10:00 does not book the room for a meeting at 14:00."""
    return is_covered(meeting)
