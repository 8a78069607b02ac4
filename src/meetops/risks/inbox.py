"""What risks add to "Waiting for me" (core.inbox): the emergency and security plans `PLAN` and
`SECURITY` say the user decides (core.decisions): leaders and admins who may see the meeting,
never the plan's submitter. One query each; for many people at once (the digest), the same
rows for everybody and the predicate twin, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, per_person, submitted_items
from meetops.meetings.models import frozen_q
from meetops.meetings.selectors import prime_meeting_access, undecided_for
from meetops.people.models import Role, User
from meetops.risks.decisions import PLAN
from meetops.risks.models import EmergencyPlan, PlanStatus, SecurityPlan
from meetops.risks.security.decisions import SECURITY


def plans_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = PLAN.pending_for(user).order_by("submitted_at", "id")[:limit]
    return submitted_items(rows, "emergency_plan", _("Emergency plan to approve"), "emergency-plan")


def security_plans_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = SECURITY.pending_for(user).order_by("submitted_at", "id")[:limit]
    return submitted_items(rows, "security_plan", _("Security plan to approve"), "security-plan")


def plans_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    picked = _submitted_plans(EmergencyPlan, users, limit)
    label = _("Emergency plan to approve")
    return {
        pk: submitted_items(rows, "emergency_plan", label, "emergency-plan")
        for pk, rows in picked.items()
    }


def security_plans_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    picked = _submitted_plans(SecurityPlan, users, limit)
    label = _("Security plan to approve")
    return {
        pk: submitted_items(rows, "security_plan", label, "security-plan")
        for pk, rows in picked.items()
    }


def _submitted_plans(
    model: type[EmergencyPlan] | type[SecurityPlan], users: Sequence[User], limit: int
) -> dict[int, list[Any]]:
    """Each person's plans of `model` to decide: the twin of `risks.decisions.plans_waiting`."""
    rows: list[Any] = list(
        model.objects.filter(status=PlanStatus.SUBMITTED)
        .exclude(frozen_q("meeting__"))
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")
    )
    prime_meeting_access(users, [r.meeting for r in rows])

    def waits(user: User, plan: Any) -> bool:
        return (
            user.has_role(Role.LEADER, Role.ADMIN)
            and plan.submitted_by_id != user.pk
            and undecided_for(user, plan.meeting)
        )

    return per_person(users, rows, waits, limit)
