"""What budgets add to "Waiting for me" (core.inbox): the budgets and settlements `BUDGET` and
`SETTLEMENT` say the user decides (core.decisions): leaders and admins who may see the meeting,
never the submitter. One query for both flows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.budget.decisions import BUDGET, SETTLEMENT
from meetops.budget.models import Budget
from meetops.core.decisions import DecisionFlow
from meetops.core.inbox import WaitingItem
from meetops.people.models import User


def budgets_waiting(user: User, limit: int) -> list[WaitingItem]:
    # One row may await both flows' decisions; the union keeps the source at one query.
    rows = (BUDGET.pending_for(user) | SETTLEMENT.pending_for(user)).order_by(
        "meeting__start", "id"
    )[:limit]
    items = []
    for b in rows:
        if _awaits(BUDGET, b, user):
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
        if _awaits(SETTLEMENT, b, user):
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


def _awaits(flow: DecisionFlow[Budget], budget: Budget, user: User) -> bool:
    """Which of the two flows picked this row: the row-level half of its `pending` filter."""
    return getattr(budget, flow.state_field) == flow.awaiting and not flow.is_own(budget, user)
