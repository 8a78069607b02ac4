"""Completion rule of P3.2 (arrange the seating and guide participants to their seats)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import Meeting
from meetops.policy.rules import completion_rule
from meetops.seating.models import SeatAssignment, SeatPlan
from meetops.seating.selectors import required_to_seat


@completion_rule(
    "seating.all_required_seated",
    _("A seat plan exists and every required participant who accepted has a seat"),
)
def all_required_seated(meeting: Meeting) -> bool:
    if not SeatPlan.objects.filter(meeting=meeting).exists():
        return False
    seated = SeatAssignment.objects.filter(plan__meeting=meeting).values("participant_id")
    if not seated.exists():
        return False
    return not required_to_seat(meeting).exclude(pk__in=seated).exists()
