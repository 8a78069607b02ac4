"""The emergency plan's approval in the one decision shape (core.decisions, ADR 0010).

A leader (or admin) who may see the meeting approves or returns the submitted plan; never
the person who submitted it (`own_submission`, new with the shape: an organiser who is also
a leader used to approve their own plan).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError, ValidationFailed
from meetops.meetings.models import frozen_q
from meetops.meetings.selectors import prime_meeting_access
from meetops.people.models import Role, User
from meetops.people.selectors import prime_people
from meetops.risks import errors
from meetops.risks.models import EmergencyPlan, PlanStatus, SecurityPlan
from meetops.risks.permissions import can_approve_plan

TEXT_LIMIT = 5000


def submitted_plans(
    model: type[EmergencyPlan] | type[SecurityPlan], users: Sequence[User]
) -> list[Any]:
    """Submitted plans of `model` of meetings neither closed nor cancelled, with what
    `can_approve_plan` asks about these people primed; none (and no query) when none of them
    is a leader or an admin. The `candidates` of both plan flows."""
    prime_people(users)
    if not any(u.has_role(Role.LEADER, Role.ADMIN) for u in users):
        return []
    rows: list[Any] = list(
        model.objects.filter(status=PlanStatus.SUBMITTED)
        .exclude(frozen_q("meeting__"))
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")
    )
    prime_meeting_access(users, [r.meeting for r in rows])
    return rows


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
    candidates=lambda users: submitted_plans(EmergencyPlan, users),
    comment_field="decision_note",
    comment_limit=TEXT_LIMIT,
    comment_required=_note_required,
)
