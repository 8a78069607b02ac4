"""Reminders before a meeting starts: a periodic job, once per meeting per offset.

Offsets come from `MEETOPS_REMINDER_OFFSETS` (minutes, default "1440,60": one
day and one hour). Of the offsets already reached for a meeting only the
shortest is sent, so a meeting planned at short notice gets one reminder, not
a pile. The dedupe key includes the start time: a rescheduled meeting is
reminded again for its new time. Only the people still expected are reminded
(`expected_participants`): not who declined or sent a substitute; the substitute is.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meetops.core.scheduler import periodic
from meetops.meetings.models import Meeting, Stage
from meetops.meetings.selectors import expected_participants
from meetops.notifications import events
from meetops.notifications.services import enqueue


def reminder_offsets() -> list[int]:
    return sorted(int(m) for m in getattr(settings, "MEETOPS_REMINDER_OFFSETS", [1440, 60]))


@periodic(every_seconds=60, name="notifications.reminders")
def send_due_reminders() -> int:
    """Queue the reminders that are due now. Returns the number of meetings reminded."""
    offsets = reminder_offsets()
    if not offsets:
        return 0
    now = timezone.now()
    meetings = Meeting.objects.filter(
        start__gt=now,
        start__lte=now + timedelta(minutes=offsets[-1]),
        stage__in=[Stage.PREPARING, Stage.READY],
    ).select_related("kind", "department")
    count = 0
    for meeting in meetings:
        reached = [m for m in offsets if meeting.start - timedelta(minutes=m) <= now]
        if not reached:
            continue
        offset = reached[0]
        people = expected_participants(meeting).select_related("user", "contact")
        with transaction.atomic():
            enqueue(
                event=events.REMINDER.code,
                recipients=list(people),
                meeting=meeting,
                context={
                    "meeting": meeting,
                    "minutes_before": offset,
                    "url": f"/meetings/{meeting.pk}/",
                },
                dedupe_key=f"reminder:{meeting.pk}:{offset}:{meeting.start.isoformat()}",
            )
        count += 1
    return count
