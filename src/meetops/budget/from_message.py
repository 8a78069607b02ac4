"""The budget approval offered as buttons on the leader's personal message (work IM cards,
registry "message_decisions", issue 12): the same services as the budget page, with the
person who pressed the button as the actor."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from meetops.budget import services
from meetops.budget.models import Budget, BudgetStatus
from meetops.budget.notify import REQUESTED
from meetops.core.decisions import message_ref, parse_message_ref, stale_message
from meetops.core.registry import MessageDecision
from meetops.people.models import User


def _ref(message: Any) -> str:
    # The settlement's request is the same event: a budget already approved offers nothing.
    budget = (
        Budget.objects.filter(meeting_id=message.meeting_id, status=BudgetStatus.SUBMITTED)
        .only("pk", "revision")
        .first()
    )
    return message_ref(budget.pk, budget.revision) if budget else ""


def _decide(ref: str, *, actor: User, approve: bool, comment: str) -> None:
    pk, revision = parse_message_ref(ref)
    with transaction.atomic():
        # Locked before the check, so a resubmission cannot slip in between.
        budget = Budget.objects.select_for_update().select_related("meeting").filter(pk=pk).first()
        if budget is None or budget.revision != revision:
            raise stale_message()
        if approve:
            services.approve_budget(budget.meeting, actor=actor, comment=comment)
        else:
            services.return_budget(budget.meeting, actor=actor, comment=comment)


def _decided(ref: str) -> tuple[bool, str] | None:
    pk, revision = parse_message_ref(ref)
    budget = (
        Budget.objects.select_related("decided_by")
        .filter(pk=pk, revision=revision, status__in=[BudgetStatus.APPROVED, BudgetStatus.RETURNED])
        .first()
    )
    if budget is None:
        return None
    return budget.status == BudgetStatus.APPROVED, str(budget.decided_by or "")


BUDGET = MessageDecision(events=(REQUESTED,), ref=_ref, decide=_decide, decided=_decided)
