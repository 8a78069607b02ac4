"""Due and overdue reminders for action items, at a cadence the caller gives.

An item due within `before_days` days (by default: today or tomorrow) gets `action.due`, one
past its date `action.overdue` on its first late day and every `every_days` days after (by
default daily), at most once per item per day: the dedupe key carries the item and the day.
Items owned only by a department remind the meeting's organisers instead.

The periodic job that runs it belongs to the follow-up app, which owns the cadence as part of
its versioned follow-up rules (`followup.action_reminders`, ADR 0027); this app, below it,
only knows how to remind.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from meetops.meetings.permissions import can_view_meeting
from meetops.minutes.models import ActionItem, ActionState
from meetops.minutes.selectors import organisers_of
from meetops.notifications import events
from meetops.notifications.services import enqueue


def send_action_reminders(
    *, today: date | None = None, before_days: int = 1, every_days: int = 1
) -> int:
    """Queue today's due/overdue reminders. Returns the number of items reminded."""
    today = today or timezone.localdate()
    every_days = max(1, every_days)
    items = (
        ActionItem.objects.filter(
            state__in=[ActionState.OPEN, ActionState.IN_PROGRESS],
            due_date__lte=today + timedelta(days=max(0, before_days)),
        )
        .select_related("owner", "meeting", "department")
        .order_by("id")
    )
    count = 0
    for item in items:
        due = item.due_date
        if due is None:  # excluded by the filter; keeps the type checker sure
            continue
        overdue = due < today
        if overdue and ((today - due).days - 1) % every_days:
            continue  # not one of the overdue item's reminder days
        event = events.ACTION_OVERDUE if overdue else events.ACTION_DUE
        recipients = [item.owner] if item.owner else organisers_of(item.meeting)
        # An owner may follow an item of a meeting they may not see: its mail names no meeting.
        shown = item.meeting if all(can_view_meeting(r, item.meeting) for r in recipients) else None
        with transaction.atomic():
            enqueue(
                event=event.code,
                recipients=recipients,
                meeting=item.meeting,
                context={
                    "action": item,
                    "meeting": shown,
                    "days_late": (today - due).days,
                    "url": "/actions/",
                },
                dedupe_key=f"{event.code}:{item.pk}:{today.isoformat()}",
            )
        count += 1
    return count
