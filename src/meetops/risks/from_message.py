"""The emergency plan's approval offered as buttons on the leaders' personal message (work
IM cards, registry "message_decisions", issue 12): the same service as the plan's page
(`decide_plan`), with the person who pressed the button as the actor. Returning needs the
note saying what to change, from the card's comment box."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from meetops.core.decisions import message_ref, parse_message_ref, stale_message
from meetops.core.registry import MessageDecision
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.risks import services
from meetops.risks.models import EmergencyPlan, PlanStatus
from meetops.risks.notify import PLAN_SUBMITTED


def _version(plan: EmergencyPlan) -> int:
    # Each submission stamps submitted_at anew: a card from an earlier round is out of date.
    return int(plan.submitted_at.timestamp()) if plan.submitted_at else 0


def _ref(message: Any) -> str:
    plan = (
        EmergencyPlan.objects.filter(meeting_id=message.meeting_id, status=PlanStatus.SUBMITTED)
        .only("pk", "submitted_at")
        .first()
    )
    return message_ref(plan.pk, _version(plan)) if plan else ""


def _decide(ref: str, *, actor: User, approve: bool, comment: str) -> None:
    pk, version = parse_message_ref(ref)
    meeting_id = EmergencyPlan.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise stale_message()
    with transaction.atomic():
        # Meeting, then plan: the order the plan's services lock them in, checked under the lock
        # so that a resubmission cannot slip in between.
        Meeting.objects.select_for_update().filter(pk=meeting_id).first()
        plan = EmergencyPlan.objects.select_for_update().filter(pk=pk).first()
        if plan is None or _version(plan) != version:
            raise stale_message()
        services.decide_plan(plan.meeting, actor=actor, approve=approve, note=comment)


def _decided(ref: str) -> tuple[bool, str] | None:
    pk, version = parse_message_ref(ref)
    plan = (
        EmergencyPlan.objects.select_related("decided_by")
        .filter(pk=pk, status__in=[PlanStatus.APPROVED, PlanStatus.RETURNED])
        .first()
    )
    if plan is None or _version(plan) != version:
        return None
    return plan.status == PlanStatus.APPROVED, str(plan.decided_by or "")


PLAN = MessageDecision(events=(PLAN_SUBMITTED,), ref=_ref, decide=_decide, decided=_decided)
