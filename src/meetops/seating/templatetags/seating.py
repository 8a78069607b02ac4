"""`{% seat_for participant as seat %}`: the person's seat, for the RSVP page and the sign-in results."""

from __future__ import annotations

from typing import Any

from django import template

from meetops.seating.selectors import seat_of

register = template.Library()


@register.simple_tag
def seat_for(participant: Any) -> Any:
    """The participant's SeatAssignment (with seat, plan and room) or None. One query."""
    if participant is None or not getattr(participant, "pk", None):
        return None
    return seat_of(participant)
