"""Completion rule of P3.2 (arrange the seating and guide participants to their seats)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import Meeting
from meetops.policy.rules import completion_rule
from meetops.seating.models import SeatAssignment
from meetops.seating.selectors import required_unseated


@completion_rule(
    "seating.all_required_seated",
    _("A seat plan exists and every required participant who accepted has a seat"),
)
def all_required_seated(meeting: Meeting) -> bool:
    if not SeatAssignment.objects.filter(plan__meeting=meeting).exists():
        return False  # no plan, or nobody seated yet: one query for the common case
    return not required_unseated(meeting)
