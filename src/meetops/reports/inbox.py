"""What summary reports add to "Waiting for me" (core.inbox): reports submitted to the user. One
query. `waiting_for` and `WaitingItem` are core's, kept importable from here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, submitted_items, waiting_for
from meetops.meetings.selectors import undecided_meeting_ids
from meetops.people.models import User
from meetops.reports.models import Decision, ReportApproval, ReportState

__all__ = ["WaitingItem", "reports_waiting", "waiting_for"]


def reports_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = (
        ReportApproval.objects.filter(
            leader=user,
            decision=Decision.PENDING,
            report__state=ReportState.SUBMITTED,
            report__meeting__in=undecided_meeting_ids(user),
        )
        .select_related("report__meeting", "report__submitted_by")
        .order_by("report__submitted_at", "id")[:limit]
    )
    return submitted_items(
        (r.report for r in rows), "report", _("Summary report to approve"), "report"
    )
