"""The summary report's approval in the one decision shape (core.decisions, ADR 0010).

Each leader the report was submitted to decides once (approve, with or without instructions
(批示), or return with instructions); the last approval approves the report. The decided row
is the leader's `ReportApproval`. The submitter never decides (`own_submission`, new with the
shape: an organiser who is also a leader could submit to themselves and approve).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings.models import frozen_q
from meetops.meetings.selectors import prime_meeting_access, undecided_for
from meetops.people.models import User
from meetops.reports.models import Decision, ReportApproval, ReportState

MAX_TEXT = 50000


def undecided_approvals(leaders: Sequence[User]) -> list[ReportApproval]:
    """These leaders' undecided approvals of submitted reports of meetings neither closed nor
    cancelled, with what `undecided_for` asks about them primed: the flow's `candidates`."""
    rows = list(
        ReportApproval.objects.filter(
            leader__in=[u.pk for u in leaders],
            decision=Decision.PENDING,
            report__state=ReportState.SUBMITTED,
        )
        .exclude(frozen_q("report__meeting__"))
        .select_related("report__meeting", "report__submitted_by")
        .order_by("report__submitted_at", "id")
    )
    prime_meeting_access(leaders, [r.report.meeting for r in rows])
    return rows


def not_your_report() -> DomainError:
    return PermissionDenied(
        _("Only the leaders the report was submitted to may decide on it."), "not_your_report"
    )


def _instructions_required() -> DomainError:
    return ValidationFailed(
        _("Say what should change."), "instructions_required", field="instructions"
    )


REPORT = DecisionFlow[ReportApproval](
    name="reports.report",
    state_field="decision",
    awaiting=Decision.PENDING,
    # A leader who already decided this round is no longer one the report waits for.
    wrong_state=lambda approval, approve: not_your_report(),
    submitter=lambda approval: approval.report.submitted_by_id,
    approved_action="reports.report.approved",
    returned_action="reports.report.returned",
    may_decide=lambda user, approval: (
        approval.leader_id == user.pk and approval.report.state == ReportState.SUBMITTED
    ),
    candidates=undecided_approvals,
    # Put to its leader while they may still see the meeting (its confidentiality may rise).
    asks=lambda user, approval: undecided_for(user, approval.report.meeting),
    decided_by="",
    comment_field="instructions",
    comment_limit=MAX_TEXT,
    comment_required=_instructions_required,
)
