"""Completion rules the budget app can judge (P2.6, P4.6, P2.4, P4.7)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.budget.models import Budget, BudgetStatus, SettlementStatus, SupplyItem
from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting


@completion_rule("budget.approved", _("The meeting's budget is approved"))
def budget_approved(meeting: Meeting) -> bool:
    return Budget.objects.filter(meeting=meeting, status=BudgetStatus.APPROVED).exists()


@completion_rule("budget.settled", _("The expenses are settled and the settlement approved"))
def budget_settled(meeting: Meeting) -> bool:
    return Budget.objects.filter(
        meeting=meeting, settlement_status=SettlementStatus.SETTLED
    ).exists()


@completion_rule("budget.supplies_ready", _("Every item on the supplies checklist is prepared"))
def supplies_ready(meeting: Meeting) -> bool:
    items = SupplyItem.objects.filter(meeting=meeting)
    return items.exists() and not items.filter(prepared=False).exists()


@completion_rule(
    "budget.supplies_recovered", _("Every reusable supply has its recovered quantity recorded")
)
def supplies_recovered(meeting: Meeting) -> bool:
    """A checklist exists, and each item marked for recovery has its recovered count."""
    items = SupplyItem.objects.filter(meeting=meeting)
    return (
        items.exists() and not items.filter(reusable=True, recovered_quantity__isnull=True).exists()
    )
