"""What risks add to "Waiting for me" (core.inbox): the emergency plans `PLAN` says the user
decides (core.decisions): leaders and admins who may see the meeting, never the plan's
submitter. One query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, submitted_items
from meetops.people.models import User
from meetops.risks.decisions import PLAN
from meetops.risks.security.decisions import SECURITY


def plans_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = PLAN.pending_for(user).order_by("submitted_at", "id")[:limit]
    return submitted_items(rows, "emergency_plan", _("Emergency plan to approve"), "emergency-plan")


def security_plans_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = SECURITY.pending_for(user).order_by("submitted_at", "id")[:limit]
    return submitted_items(rows, "security_plan", _("Security plan to approve"), "security-plan")
