"""The summary report's approval in the one decision shape (core.decisions, ADR 0010).

Each leader the report was submitted to decides once (approve, with or without instructions
(批示), or return with instructions); the last approval approves the report. The decided row
is the leader's `ReportApproval`. The submitter never decides (`own_submission`, new with the
shape: an organiser who is also a leader could submit to themselves and approve).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings.selectors import undecided_meeting_ids
from meetops.people.models import User
from meetops.reports.models import Decision, ReportApproval, ReportState

MAX_TEXT = 50000


def approvals_waiting(user: User) -> QuerySet[ReportApproval]:
    """This leader's undecided approvals of submitted reports (not ones they submitted)."""
    return (
        ReportApproval.objects.filter(
            leader=user,
            decision=Decision.PENDING,
            report__state=ReportState.SUBMITTED,
            report__meeting__in=undecided_meeting_ids(user),
        )
        .exclude(report__submitted_by=user)
        .select_related("report__meeting", "report__submitted_by")
    )


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
    pending=approvals_waiting,
    decided_by="",
    comment_field="instructions",
    comment_limit=MAX_TEXT,
    comment_required=_instructions_required,
)
