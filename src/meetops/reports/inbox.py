"""What summary reports add to "Waiting for me" (core.inbox): the approvals `REPORT` says await
the user (core.decisions), for one person or many alike. `waiting_for` and `WaitingItem` are core's, kept
importable from here."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, one_of, submitted_items, waiting_for
from meetops.people.models import User
from meetops.reports.decisions import REPORT

__all__ = ["WaitingItem", "reports_waiting", "reports_waiting_many", "waiting_for"]


def reports_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """What `REPORT` says awaits each of these people (`DecisionFlow.pending_many`)."""
    label = _("Summary report to approve")
    return {
        pk: submitted_items((r.report for r in rows), "report", label, "report")
        for pk, rows in REPORT.pending_many(users, limit).items()
    }


# One person's inbox is the batch of one: the rule exists once (ADR 0021).
reports_waiting = one_of(reports_waiting_many)
