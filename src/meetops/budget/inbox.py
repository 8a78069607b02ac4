"""What budgets add to "Waiting for me" (core.inbox): budgets and settlements submitted for
approval, for leaders and admins who may see the meeting, except those the user submitted
(they may not approve their own). One query for both."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from meetops.budget.models import Budget, BudgetStatus, SettlementStatus
from meetops.core.inbox import WaitingItem
from meetops.meetings.selectors import undecided_meeting_ids
from meetops.people.models import Role, User


def budgets_waiting(user: User, limit: int) -> list[WaitingItem]:
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return []
    budget_waits = Q(status=BudgetStatus.SUBMITTED) & ~Q(submitted_by=user)
    settlement_waits = Q(settlement_status=SettlementStatus.SUBMITTED) & ~Q(
        settlement_submitted_by=user
    )
    rows = (
        Budget.objects.filter(budget_waits | settlement_waits)
        .filter(meeting__in=undecided_meeting_ids(user))
        .select_related("meeting", "submitted_by", "settlement_submitted_by")
        .order_by("meeting__start", "id")[:limit]
    )
    items = []
    for b in rows:
        if b.status == BudgetStatus.SUBMITTED and b.submitted_by_id != user.pk:
            items.append(
                WaitingItem(
                    "budget",
                    _("Budget to approve"),
                    b.meeting,
                    f"/meetings/{b.meeting_id}/budget/",
                    b.submitted_at,
                    str(b.submitted_by or ""),
                )
            )
        if (
            b.settlement_status == SettlementStatus.SUBMITTED
            and b.settlement_submitted_by_id != user.pk
        ):
            items.append(
                WaitingItem(
                    "settlement",
                    _("Expense settlement to approve"),
                    b.meeting,
                    f"/meetings/{b.meeting_id}/budget/statement/",
                    b.settlement_submitted_at,
                    str(b.settlement_submitted_by or ""),
                )
            )
    return items
