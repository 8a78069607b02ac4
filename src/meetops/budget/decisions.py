"""The budget's two approvals in the one decision shape (core.decisions, ADR 0010).

Leaders and admins who may see the meeting decide; never the person who submitted it (the
code stays `self_approval`, as before the shape).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from meetops.budget import errors
from meetops.budget.models import Budget, BudgetStatus, SettlementStatus
from meetops.budget.permissions import can_approve_budget
from meetops.core.decisions import DecisionFlow
from meetops.meetings.models import frozen_q
from meetops.meetings.selectors import prime_meeting_access
from meetops.people.models import Role, User
from meetops.people.selectors import prime_people


def awaiting_decision(users: Sequence[User]) -> list[Budget]:
    """Budgets whose budget or settlement awaits a decision, of meetings neither closed nor
    cancelled, with what `can_approve_budget` asks about these people primed; none (and no
    query) when none of them is a leader or an admin. Both flows' `candidates`."""
    prime_people(users)
    if not any(u.has_role(Role.LEADER, Role.ADMIN) for u in users):
        return []
    rows = list(
        Budget.objects.filter(
            Q(status=BudgetStatus.SUBMITTED) | Q(settlement_status=SettlementStatus.SUBMITTED)
        )
        .exclude(frozen_q("meeting__"))
        .select_related("meeting", "submitted_by", "settlement_submitted_by")
        .order_by("meeting__start", "id")
    )
    prime_meeting_access(users, [b.meeting for b in rows])
    return rows


BUDGET = DecisionFlow[Budget](
    name="budget.budget",
    state_field="status",
    awaiting=BudgetStatus.SUBMITTED,
    wrong_state=lambda budget, approve: errors.wrong_status(budget.status, BudgetStatus.SUBMITTED),
    submitter=lambda budget: budget.submitted_by_id,
    approved_action="budget.budget.approved",
    returned_action="budget.budget.returned",
    may_decide=lambda user, budget: can_approve_budget(user, budget.meeting),
    candidates=awaiting_decision,
    comment_field="decision_comment",
    comment_required=errors.comment_required,
    own_error=errors.self_approval,
)

SETTLEMENT = DecisionFlow[Budget](
    name="budget.settlement",
    state_field="settlement_status",
    awaiting=SettlementStatus.SUBMITTED,
    wrong_state=lambda budget, approve: errors.wrong_settlement(
        budget.settlement_status, SettlementStatus.SUBMITTED
    ),
    submitter=lambda budget: budget.settlement_submitted_by_id,
    approved_action="budget.settlement.approved",
    returned_action="budget.settlement.returned",
    may_decide=lambda user, budget: can_approve_budget(user, budget.meeting),
    candidates=awaiting_decision,
    decided_by="settled_by",
    decided_at="settled_at",
    comment_field="settlement_comment",
    comment_required=errors.comment_required,
    own_error=errors.self_approval,
)
