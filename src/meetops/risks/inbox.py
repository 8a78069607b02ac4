"""What risks add to "Waiting for me" (core.inbox): emergency plans submitted for approval, for
leaders and admins who may see the meeting. One query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, submitted_items
from meetops.meetings.selectors import undecided_meeting_ids
from meetops.people.models import Role, User
from meetops.risks.models import EmergencyPlan, PlanStatus


def plans_waiting(user: User, limit: int) -> list[WaitingItem]:
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return []
    rows = (
        EmergencyPlan.objects.filter(
            status=PlanStatus.SUBMITTED, meeting__in=undecided_meeting_ids(user)
        )
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")[:limit]
    )
    return submitted_items(rows, "emergency_plan", _("Emergency plan to approve"), "emergency-plan")
