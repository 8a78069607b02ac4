"""The emergency plan's approval in the one decision shape (core.decisions, ADR 0010).

A leader (or admin) who may see the meeting approves or returns the submitted plan; never
the person who submitted it (`own_submission`, new with the shape: an organiser who is also
a leader used to approve their own plan).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError, ValidationFailed
from meetops.meetings.selectors import undecided_meeting_ids
from meetops.people.models import Role, User
from meetops.risks import errors
from meetops.risks.models import EmergencyPlan, PlanStatus
from meetops.risks.permissions import can_approve_plan

TEXT_LIMIT = 5000


def plans_waiting(user: User) -> QuerySet[EmergencyPlan]:
    """Submitted plans this leader may decide: not their own."""
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return EmergencyPlan.objects.none()
    return (
        EmergencyPlan.objects.filter(
            status=PlanStatus.SUBMITTED,
            meeting__in=undecided_meeting_ids(user),
        )
        .exclude(submitted_by=user)
        .select_related("meeting", "submitted_by")
    )


def _note_required() -> DomainError:
    return ValidationFailed(_("Say what needs to change."), "note_required")


PLAN = DecisionFlow[EmergencyPlan](
    name="risks.plan",
    state_field="status",
    awaiting=PlanStatus.SUBMITTED,
    wrong_state=lambda plan, approve: errors.plan_state(
        plan.status, "approved" if approve else "returned"
    ),
    submitter=lambda plan: plan.submitted_by_id,
    approved_action="risks.plan.approved",
    returned_action="risks.plan.returned",
    may_decide=lambda user, plan: can_approve_plan(user, plan.meeting),
    pending=plans_waiting,
    comment_field="decision_note",
    comment_limit=TEXT_LIMIT,
    comment_required=_note_required,
)
