"""What summary reports add to "Waiting for me" (core.inbox): the approvals `REPORT` says await
the user (core.decisions). One query. `waiting_for` and `WaitingItem` are core's, kept
importable from here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, submitted_items, waiting_for
from meetops.people.models import User
from meetops.reports.decisions import REPORT

__all__ = ["WaitingItem", "reports_waiting", "waiting_for"]


def reports_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = REPORT.pending_for(user).order_by("report__submitted_at", "id")[:limit]
    return submitted_items(
        (r.report for r in rows), "report", _("Summary report to approve"), "report"
    )
