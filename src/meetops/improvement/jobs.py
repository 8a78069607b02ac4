"""Overdue improvement measures: a periodic job of the notifications worker (P9.7).

Each open measure past its due date reminds its owner (or, when only a department
owns it, whoever planned it) at most once a day: the dedupe key carries the day.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meetops.core.scheduler import periodic
from meetops.improvement.models import OPEN_MEASURE_STATES, Measure
from meetops.improvement.notify import MEASURE_OVERDUE
from meetops.notifications.services import enqueue


@periodic(every_seconds=3600, name="improvement.measure_reminders")
def remind_overdue_measures() -> int:
    """Queue today's reminders. Returns the number of measures reminded."""
    today = timezone.localdate()
    measures = (
        Measure.objects.filter(status__in=OPEN_MEASURE_STATES, due_date__lt=today)
        .select_related("owner", "created_by", "meeting")
        .order_by("id")
    )
    count = 0
    for measure in measures:
        recipients = [u for u in (measure.owner or measure.created_by,) if u is not None]
        with transaction.atomic():
            enqueue(
                event=MEASURE_OVERDUE.code,
                recipients=recipients,
                meeting=measure.meeting,
                context={
                    "measure": measure,
                    "meeting": measure.meeting,
                    "days_late": (today - measure.due_date).days,
                    "url": f"/improvements/{measure.pk}/",
                },
                dedupe_key=f"{MEASURE_OVERDUE.code}:{measure.pk}:{today.isoformat()}",
            )
        count += 1
    return count
