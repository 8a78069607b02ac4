"""The budget's two approvals in the one decision shape (core.decisions, ADR 0010).

Leaders and admins who may see the meeting decide; never the person who submitted it (the
code stays `self_approval`, as before the shape).
"""

from __future__ import annotations

from django.db.models import QuerySet

from meetops.budget import errors
from meetops.budget.models import Budget, BudgetStatus, SettlementStatus
from meetops.budget.permissions import can_approve_budget
from meetops.core.decisions import DecisionFlow
from meetops.meetings.selectors import undecided_meeting_ids
from meetops.people.models import Role, User


def _waiting(user: User, **awaiting: str) -> QuerySet[Budget]:
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return Budget.objects.none()
    return Budget.objects.filter(
        meeting__in=undecided_meeting_ids(user), **awaiting
    ).select_related("meeting", "submitted_by", "settlement_submitted_by")


def budgets_waiting(user: User) -> QuerySet[Budget]:
    """Submitted budgets this leader may decide: not their own."""
    return _waiting(user, status=BudgetStatus.SUBMITTED).exclude(submitted_by=user)


def settlements_waiting(user: User) -> QuerySet[Budget]:
    """Submitted settlements this leader may decide: not their own."""
    return _waiting(user, settlement_status=SettlementStatus.SUBMITTED).exclude(
        settlement_submitted_by=user
    )


BUDGET = DecisionFlow[Budget](
    name="budget.budget",
    state_field="status",
    awaiting=BudgetStatus.SUBMITTED,
    wrong_state=lambda budget, approve: errors.wrong_status(budget.status, BudgetStatus.SUBMITTED),
    submitter=lambda budget: budget.submitted_by_id,
    approved_action="budget.budget.approved",
    returned_action="budget.budget.returned",
    may_decide=lambda user, budget: can_approve_budget(user, budget.meeting),
    pending=budgets_waiting,
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
    pending=settlements_waiting,
    decided_by="settled_by",
    decided_at="settled_at",
    comment_field="settlement_comment",
    comment_required=errors.comment_required,
    own_error=errors.self_approval,
)
