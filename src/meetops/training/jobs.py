"""The daily training reminder (P9.4): people who run meetings and are untrained or due for a
refresher are told once per due period, never every day.

The period of a refresher is the expiry date of the training it refreshes: one reminder before
or after it, and the next only after a newer training expires. An untrained person's period
starts the day they are first told and lasts the need's refresher interval (twelve months for
a need trained once): they hear again only after it. `TrainingReminder` keeps the periods told
(unique per person, need and period), so a job slot run twice tells nobody twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from meetops.core.scheduler import periodic
from meetops.meetings.models import Meeting
from meetops.notifications.services import enqueue
from meetops.people.models import User
from meetops.training.models import Course, TrainingReminder
from meetops.training.notify import TRAINING_DUE
from meetops.training.selectors import DUE, TRAINING_KIND, Standing, add_months, standings_of

UNTRAINED_REPEAT_MONTHS = 12


def _period(s: Standing, told_untrained: date | None, today: date) -> date | None:
    """The period this standing is in, or None when the person was told within it already."""
    if s.state == DUE:
        return s.valid_until
    months = s.need.refresher_months or UNTRAINED_REPEAT_MONTHS
    if told_untrained is not None and add_months(told_untrained, months) > today:
        return None
    return today


@periodic(every_seconds=24 * 3600, name="training.reminders")
def remind_training_due(today: date | None = None) -> int:
    """Tell each person who runs meetings what they must train or refresh, once per period.
    Returns the number of people told.

    Nobody is told before the organisation offers training (an active course, or a meeting of
    the kind "training"): a fresh installation does not nag every organiser on its first day
    about training that does not exist yet."""
    today = today or timezone.localdate()
    if not (
        Course.objects.filter(active=True).exists()
        or Meeting.objects.filter(kind__code=TRAINING_KIND).exists()
    ):
        return 0
    _needs, rows = standings_of(User.objects.all(), today=today)
    told_untrained = {
        (r["person_id"], r["need_id"]): r["last"]
        for r in TrainingReminder.objects.filter(untrained=True)
        .values("person_id", "need_id")
        .annotate(last=Max("period"))
    }
    told = set(
        TrainingReminder.objects.filter(person_id__in=[r.person.pk for r in rows]).values_list(
            "person_id", "need_id", "period"
        )
    )
    fresh: dict[int, list[tuple[Standing, TrainingReminder]]] = defaultdict(list)
    people: dict[int, User] = {}
    for row in rows:
        for s in row.open:
            period = _period(s, told_untrained.get((row.person.pk, s.need.pk)), today)
            if period is None or (row.person.pk, s.need.pk, period) in told:
                continue
            reminder = TrainingReminder(
                person=row.person, need=s.need, period=period, untrained=s.state != DUE
            )
            fresh[row.person.pk].append((s, reminder))
            people[row.person.pk] = row.person
    for pk, items in fresh.items():
        with transaction.atomic():
            TrainingReminder.objects.bulk_create([r for _s, r in items], ignore_conflicts=True)
            enqueue(
                event=TRAINING_DUE.code,
                recipients=[people[pk]],
                context={"items": [s for s, _r in items], "url": reverse("training:overview")},
                dedupe_key=f"{TRAINING_DUE.code}:{pk}:"
                + ",".join(f"{r.need_id}@{r.period.isoformat()}" for _s, r in items),
            )
    return len(fresh)
