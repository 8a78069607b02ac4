"""The security plan's approval in the one decision shape (core.decisions, ADR 0010): the
same approvers as the emergency plan (`can_approve_plan`: leaders and admins who may see the
meeting), never the person who submitted it."""

from __future__ import annotations

from meetops.core.decisions import DecisionFlow
from meetops.risks import errors
from meetops.risks.decisions import TEXT_LIMIT, _note_required, submitted_plans
from meetops.risks.models import PlanStatus, SecurityPlan
from meetops.risks.permissions import can_approve_plan

SECURITY = DecisionFlow[SecurityPlan](
    name="risks.security",
    state_field="status",
    awaiting=PlanStatus.SUBMITTED,
    wrong_state=lambda plan, approve: errors.security_plan_state(
        plan.status, "approved" if approve else "returned"
    ),
    submitter=lambda plan: plan.submitted_by_id,
    approved_action="risks.security.approved",
    returned_action="risks.security.returned",
    may_decide=lambda user, plan: can_approve_plan(user, plan.meeting),
    candidates=lambda users: submitted_plans(SecurityPlan, users),
    comment_field="decision_note",
    comment_limit=TEXT_LIMIT,
    comment_required=_note_required,
)
