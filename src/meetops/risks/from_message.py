"""The emergency plan's approval offered as buttons on the leaders' personal message (work
IM cards, registry "message_decisions", issue 12): the same service as the plan's page
(`decide_plan`), with the person who pressed the button as the actor. Returning needs the
note saying what to change, from the card's comment box. The security plan's (P3.7) is made
by the same `plan_decision`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from meetops.core.decisions import message_ref, parse_message_ref, stale_message
from meetops.core.registry import MessageDecision
from meetops.meetings.models import Meeting
from meetops.risks import services
from meetops.risks.models import DecidedPlan, EmergencyPlan, PlanStatus
from meetops.risks.notify import PLAN_SUBMITTED


def _version(plan: DecidedPlan) -> int:
    # Each submission stamps submitted_at anew: a card from an earlier round is out of date.
    return int(plan.submitted_at.timestamp()) if plan.submitted_at else 0


def plan_decision(model: Any, event: str, decide_service: Callable[..., Any]) -> MessageDecision:
    """The message decision of a meeting's plan (`model`: EmergencyPlan or SecurityPlan, one
    per meeting; typed loosely, as the abstract base has no meeting), announced by
    `event` and decided by `decide_service(meeting, actor=, approve=, note=)`."""

    def ref(message: Any) -> str:
        plan = (
            model._default_manager.filter(
                meeting_id=message.meeting_id, status=PlanStatus.SUBMITTED
            )
            .only("pk", "submitted_at")
            .first()
        )
        return message_ref(plan.pk, _version(plan)) if plan else ""

    def decide(ref: str, *, actor: Any, approve: bool, comment: str) -> None:
        pk, version = parse_message_ref(ref)
        meeting_id = (
            model._default_manager.filter(pk=pk).values_list("meeting_id", flat=True).first()
        )
        if meeting_id is None:
            raise stale_message()
        with transaction.atomic():
            # Meeting, then plan: the order the plan's services lock them in, checked under
            # the lock so that a resubmission cannot slip in between.
            meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
            plan = model._default_manager.select_for_update().filter(pk=pk).first()
            if meeting is None or plan is None or _version(plan) != version:
                raise stale_message()
            decide_service(meeting, actor=actor, approve=approve, note=comment)

    def decided(ref: str) -> tuple[bool, str] | None:
        pk, version = parse_message_ref(ref)
        plan = (
            model._default_manager.select_related("decided_by")
            .filter(pk=pk, status__in=[PlanStatus.APPROVED, PlanStatus.RETURNED])
            .first()
        )
        if plan is None or _version(plan) != version:
            return None
        return plan.status == PlanStatus.APPROVED, str(plan.decided_by or "")

    return MessageDecision(events=(event,), ref=ref, decide=decide, decided=decided)


PLAN = plan_decision(EmergencyPlan, PLAN_SUBMITTED, services.decide_plan)
