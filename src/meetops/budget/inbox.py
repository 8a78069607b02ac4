"""What budgets add to "Waiting for me" (core.inbox): the budgets and settlements `BUDGET` and
`SETTLEMENT` say the user decides (core.decisions): leaders and admins who may see the meeting,
never the submitter. One query for both flows; for many people at once (the digest), the same
rows for everybody and the flows' predicate twins, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils.translation import gettext as _

from meetops.budget.decisions import BUDGET, SETTLEMENT
from meetops.budget.models import Budget, BudgetStatus, SettlementStatus
from meetops.core.decisions import DecisionFlow
from meetops.core.inbox import WaitingItem, per_person
from meetops.meetings.models import frozen_q
from meetops.meetings.selectors import prime_meeting_access, undecided_for
from meetops.people.models import Role, User


def budgets_waiting(user: User, limit: int) -> list[WaitingItem]:
    # One row may await both flows' decisions; the union keeps the source at one query.
    rows = (BUDGET.pending_for(user) | SETTLEMENT.pending_for(user)).order_by(
        "meeting__start", "id"
    )[:limit]
    return _items(rows, user)


def budgets_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`budgets_waiting` of each person (the twin of `budget.decisions._waiting`)."""
    rows = list(
        Budget.objects.filter(
            Q(status=BudgetStatus.SUBMITTED) | Q(settlement_status=SettlementStatus.SUBMITTED)
        )
        .exclude(frozen_q("meeting__"))
        .select_related("meeting", "submitted_by", "settlement_submitted_by")
        .order_by("meeting__start", "id")
    )
    prime_meeting_access(users, [b.meeting for b in rows])

    def waits(user: User, budget: Budget) -> bool:
        return (
            user.has_role(Role.LEADER, Role.ADMIN)
            and undecided_for(user, budget.meeting)
            and (_awaits(BUDGET, budget, user) or _awaits(SETTLEMENT, budget, user))
        )

    picked = per_person(users, rows, waits, limit)
    return {user.pk: _items(picked[user.pk], user) for user in users}


def _items(rows: Iterable[Budget], user: User) -> list[WaitingItem]:
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
