"""Automatic escalation of overdue action items: a periodic job of the notifications worker.

An item still open or in progress `MEETOPS_ESCALATE_AFTER_DAYS` days (default 3) after its
due date is reported to the meeting's organisers (and the instructing leader), once per
missed due date: a new due date, once missed, is escalated again.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from meetops.core.scheduler import periodic
from meetops.followup.services import escalate_overdue

DEFAULT_AFTER_DAYS = 3


def escalate_after_days() -> int:
    return int(getattr(settings, "MEETOPS_ESCALATE_AFTER_DAYS", DEFAULT_AFTER_DAYS))


@periodic(every_seconds=3600, name="followup.escalate_overdue")
def escalate_overdue_items() -> int:
    """Escalate today's newly overdue items. Returns how many were escalated."""
    return len(escalate_overdue(today=timezone.localdate(), after_days=escalate_after_days()))
