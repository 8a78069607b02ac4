from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from meetops.core.inbox import waiting_for
from meetops.core.web import AuthedRequest
from meetops.meetings.permissions import can_create_meeting
from meetops.meetings.selectors import blocked_meetings_of, upcoming_for
from meetops.policy.selectors import open_tasks_for

DASHBOARD_ROWS = 8


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    """My meetings, my tasks, and what needs me (the inbox's one selector, ADR 0021)."""
    user = request.user
    waiting = waiting_for(user)
    sections = {
        "upcoming": (upcoming_for(user), DASHBOARD_ROWS),
        "tasks": (open_tasks_for(user), DASHBOARD_ROWS * 2),
        "blocked": (blocked_meetings_of(user), DASHBOARD_ROWS),
    }
    context: dict[str, object] = {
        "can_create": can_create_meeting(user),
        "waiting": waiting[:DASHBOARD_ROWS],
        "waiting_total": len(waiting),
    }
    for name, (items, rows) in sections.items():
        context[name] = list(items[:rows])
        context[f"{name}_total"] = items.count()
    return render(request, "home/dashboard.html", context)
