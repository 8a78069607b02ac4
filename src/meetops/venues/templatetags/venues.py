"""`{% meeting_bookings_panel meeting %}`: the meeting page's rooms panel, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django import template

from meetops.meetings.permissions import can_manage_meeting
from meetops.venues.coverage import problem
from meetops.venues.models import Building
from meetops.venues.selectors import bookings_of_meeting

register = template.Library()


@register.inclusion_tag("venues/_meeting_bookings_panel.html", takes_context=True)
def meeting_bookings_panel(context: dict[str, Any], meeting: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "meeting": meeting,
        "csrf_token": context.get("csrf_token"),
        # Each booking with what is wrong with it for the meeting's time, in words (or "").
        "bookings": [(b, problem(b, meeting)) for b in bookings_of_meeting(meeting)],
        "can_manage": bool(user and user.is_authenticated and can_manage_meeting(user, meeting)),
        "buildings": list(Building.objects.all()),
    }
