"""The improvement case's approval in the one decision shape (core.decisions, ADR 0010).

A leader or admin publishes or returns a submitted case (P9.6), never its proposer (the code
stays `self_approval`, as before the shape).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.improvement import errors
from meetops.improvement.models import Case, CaseStatus
from meetops.improvement.permissions import can_approve_cases
from meetops.improvement.selectors import cases_waiting_for
from meetops.meetings.permissions import can_view_meeting
from meetops.people.models import User


def may_decide_case(user: User, case: Case) -> bool:
    """Approvers who may see the case's meeting (its confidentiality may have been raised)."""
    return can_approve_cases(user) and (
        case.meeting is None or can_view_meeting(user, case.meeting)
    )


CASE = DecisionFlow[Case](
    name="improvement.case",
    state_field="status",
    awaiting=CaseStatus.SUBMITTED,
    wrong_state=lambda case, approve: errors.case_state(
        case.status, "published" if approve else "returned"
    ),
    submitter=lambda case: case.proposed_by_id,
    approved_action="improvement.case.published",
    returned_action="improvement.case.returned",
    may_decide=may_decide_case,
    pending=cases_waiting_for,
    comment_field="decision_note",
    comment_required=lambda: errors.invalid({"note": _("Say why it is returned.")}),
    own_error=errors.self_approval,
)
