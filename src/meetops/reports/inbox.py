"""What summary reports add to "Waiting for me" (core.inbox): the approvals `REPORT` says await
the user (core.decisions). One query. `waiting_for` and `WaitingItem` are core's, kept
importable from here."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, by_person, submitted_items, waiting_for
from meetops.meetings.models import frozen_q
from meetops.meetings.selectors import prime_meeting_access, undecided_for
from meetops.people.models import User
from meetops.reports.decisions import REPORT
from meetops.reports.models import Decision, ReportApproval, ReportState

__all__ = ["WaitingItem", "reports_waiting", "reports_waiting_many", "waiting_for"]


def reports_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = REPORT.pending_for(user).order_by("report__submitted_at", "id")[:limit]
    return submitted_items(
        (r.report for r in rows), "report", _("Summary report to approve"), "report"
    )


def reports_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`reports_waiting` of each person: the twin of `reports.decisions.approvals_waiting`."""
    rows = list(
        ReportApproval.objects.filter(
            leader__in=[u.pk for u in users],
            decision=Decision.PENDING,
            report__state=ReportState.SUBMITTED,
        )
        .exclude(frozen_q("report__meeting__"))
        .select_related("report__meeting", "report__submitted_by")
        .order_by("report__submitted_at", "id")
    )
    prime_meeting_access(users, [r.report.meeting for r in rows])

    people = {u.pk: u for u in users}

    def waits(approval: ReportApproval) -> int | None:
        leader = people[approval.leader_id]
        mine = approval.report.submitted_by_id != leader.pk and undecided_for(
            leader, approval.report.meeting
        )
        return leader.pk if mine else None

    label = _("Summary report to approve")
    return {
        pk: submitted_items((r.report for r in picked), "report", label, "report")
        for pk, picked in by_person(users, rows, waits, limit).items()
    }
