"""The improvement case's approval in the one decision shape (core.decisions, ADR 0010).

A leader or admin publishes or returns a submitted case (P9.6), never its proposer (the code
stays `self_approval`, as before the shape).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.improvement import errors
from meetops.improvement.models import Case, CaseStatus
from meetops.improvement.permissions import can_approve_cases
from meetops.meetings.permissions import can_view_meeting
from meetops.meetings.selectors import prime_meeting_access
from meetops.people.models import User
from meetops.people.selectors import prime_people


def may_decide_case(user: User, case: Case) -> bool:
    """Approvers who may see the case's meeting (its confidentiality may have been raised)."""
    return can_approve_cases(user) and (
        case.meeting is None or can_view_meeting(user, case.meeting)
    )


def submitted_cases(users: Sequence[User]) -> list[Case]:
    """Submitted cases, with what `may_decide_case` asks about these people primed; none (and
    no query) when none of them approves cases. The flow's `candidates`."""
    prime_people(users)
    if not any(can_approve_cases(u) for u in users):
        return []
    rows = list(
        Case.objects.filter(status=CaseStatus.SUBMITTED)
        .select_related("meeting", "meeting__kind", "proposed_by", "decided_by")
        .order_by("updated_at", "id")
    )
    prime_meeting_access(users, [c.meeting for c in rows if c.meeting is not None])
    return rows


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
    candidates=submitted_cases,
    comment_field="decision_note",
    comment_required=lambda: errors.invalid({"note": _("Say why it is returned.")}),
    own_error=errors.self_approval,
)
