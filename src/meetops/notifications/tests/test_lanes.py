"""Lanes (notifications/lanes.py): urgent mail is never stuck behind a bulk backlog, and a node
may take one lane only."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from meetops.notifications import services
from meetops.notifications.lanes import lane_for, parse_lanes
from meetops.notifications.models import OutboxMessage, Status
from meetops.notifications.worker import Worker


def queue_bulk(n: int) -> None:
    with transaction.atomic():
        services.enqueue_emails(
            {
                "to": f"staff{i}@example.org",
                "subject": f"邀请 {i}",
                "text": "全体大会",
                "dedupe_key": f"bulk:{i}",
                "event": "meeting.invited",
            }
            for i in range(n)
        )


def queue_reminder() -> OutboxMessage:
    with transaction.atomic():
        row = services.enqueue_email(
            to="chair@example.org",
            subject="提醒：一小时后开会",
            text="一小时后开会",
            event="meeting.reminder",
        )
    assert row is not None
    return row


@pytest.mark.django_db(transaction=True)
def test_an_urgent_reminder_overtakes_a_backlog_of_2000_invitations(smtp: Any) -> None:
    queue_bulk(2000)
    assert set(OutboxMessage.objects.values_list("lane", flat=True)) == {"bulk"}
    worker = Worker(name="both-lanes", batch_size=50)
    thread = threading.Thread(target=worker.run, kwargs={"poll_seconds": 0.05})
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while len(smtp.messages) < 30:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        reminder = queue_reminder()
        assert reminder.lane == "urgent"
        queued_behind = len(smtp.messages)
        while reminder.message_id not in smtp.message_ids():
            assert time.monotonic() < deadline, "the reminder was not sent"
            time.sleep(0.01)
    finally:
        worker.stopping.set()
        thread.join(60)
    position = smtp.message_ids().index(reminder.message_id)
    # It waited for the chunk of bulk mail in hand at most, not for the backlog.
    assert position <= queued_behind + 2 * worker.bulk_chunk
    assert OutboxMessage.objects.filter(lane="bulk", status=Status.QUEUED).count() > 1000


@pytest.mark.django_db
def test_a_node_on_the_urgent_lane_leaves_bulk_mail_alone(smtp: Any, settings: Any) -> None:
    settings.MEETOPS_BULK_FROM = 3
    queue_bulk(3)
    reminder = queue_reminder()
    stats = Worker(name="urgent-node", lanes=("urgent",)).run_once()
    assert stats.sent == 1
    assert smtp.message_ids() == [reminder.message_id]
    assert OutboxMessage.objects.filter(lane="bulk", status=Status.QUEUED).count() == 3
    assert Worker(name="bulk-node", lanes=("bulk",)).run_once().sent == 3


@pytest.mark.django_db
def test_an_invitation_is_bulk_only_when_many_are_queued_at_once(settings: Any) -> None:
    settings.MEETOPS_BULK_FROM = 5
    assert lane_for("auto", 4) == "urgent"
    assert lane_for("auto", 5) == "bulk"
    assert lane_for("urgent", 10_000) == "urgent"
    assert lane_for("auto", 1, "bulk") == "bulk"
    queue_bulk(4)
    assert set(OutboxMessage.objects.values_list("lane", flat=True)) == {"urgent"}


def test_lanes_are_read_urgent_first_and_unknown_ones_refused() -> None:
    assert parse_lanes("bulk,urgent") == ("urgent", "bulk")
    assert parse_lanes(["bulk"]) == ("bulk",)
    with pytest.raises(ValueError):
        parse_lanes("urgent,slow")
    with pytest.raises(CommandError):
        call_command("worker", "--burst", "--lanes", "fast")
