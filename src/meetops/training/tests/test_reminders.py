"""P9.4: the daily reminder tells people who run meetings once per due period, not every day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from meetops.core.scheduler import JOBS
from meetops.notifications.models import OutboxMessage
from meetops.training.jobs import remind_training_due
from meetops.training.selectors import add_months

pytestmark = pytest.mark.django_db


def _told(user: Any) -> int:
    return OutboxMessage.objects.filter(event="training.due", user=user, channel="inapp").count()


def test_untrained_and_due_people_are_told_once_per_period(
    make_user: Callable[..., Any],
    departments: dict[str, Any],
    needs: dict[str, Any],
    train_at: Callable[..., Any],
) -> None:
    office = departments["office"]
    never = make_user("never", roles=("organiser",), department=office)
    due = make_user("due", roles=("organiser",), department=office)
    fresh = make_user("fresh", roles=("organiser",), department=office)
    clerk = make_user("clerk", department=office)  # no duty: never told
    train_at([due], days_ago=710)
    train_at([fresh], days_ago=5)
    today = timezone.localdate()

    remind_training_due(today)
    assert (_told(never), _told(due), _told(fresh), _told(clerk)) == (1, 1, 0, 0)
    message = OutboxMessage.objects.get(event="training.due", user=never, channel="inapp")
    assert needs["organiser"].name_zh_hans in message.body or "Running meetings" in message.body

    # The next days: nothing new, though both still stand where they stood.
    for days in (1, 2, 20):
        remind_training_due(today + timedelta(days=days))
    assert (_told(never), _told(due)) == (1, 1)

    # The untrained organiser's period ends after the need's refresher interval (24 months).
    remind_training_due(add_months(today, 24))
    assert _told(never) == 2


def test_the_reminder_is_a_daily_job_of_the_worker() -> None:
    job = JOBS["training.reminders"]
    assert job.every_seconds == 24 * 3600


def test_nobody_is_told_before_the_organisation_offers_training(
    make_user: Callable[..., Any], departments: dict[str, Any], needs: dict[str, Any]
) -> None:
    from meetops.training.models import Course

    never = make_user("never", roles=("organiser",), department=departments["office"])
    today = timezone.localdate()
    remind_training_due(today)  # no course, no training meeting: nothing to point them to
    assert _told(never) == 0
    Course.objects.create(title="会务人员培训")
    remind_training_due(today)
    assert _told(never) == 1
