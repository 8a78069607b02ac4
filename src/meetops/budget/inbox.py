"""What budgets add to "Waiting for me" (core.inbox): the budgets and settlements `BUDGET` and
`SETTLEMENT` say the user decides (core.decisions): leaders and admins who may see the meeting,
never the submitter. For one person or many (the digest) alike: the rows awaiting either
decision read once, and the flows' own rule (`DecisionFlow.waits_on`) per person."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from meetops.budget.decisions import BUDGET, SETTLEMENT, awaiting_decision
from meetops.budget.models import Budget
from meetops.core.inbox import WaitingItem, one_of, per_person
from meetops.people.models import User


def budgets_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """What waits on each of these people: one read for both flows (`awaiting_decision`),
    each row kept for whom either flow's rule says it waits on (`DecisionFlow.waits_on`)."""
    rows = awaiting_decision(users)

    def waits(user: User, budget: Budget) -> bool:
        return BUDGET.waits_on(user, budget) or SETTLEMENT.waits_on(user, budget)

    picked = per_person(users, rows, waits, limit)
    return {user.pk: _items(picked[user.pk], user) for user in users}


# One person's inbox is the batch of one: the rule exists once (ADR 0021).
budgets_waiting = one_of(budgets_waiting_many)


def _items(rows: Iterable[Budget], user: User) -> list[WaitingItem]:
    items = []
    for b in rows:
        if BUDGET.waits_on(user, b):
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
        if SETTLEMENT.waits_on(user, b):
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
