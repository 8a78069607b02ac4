"""Platform sync requests (syncs.py): an IM outbox row whose event has a registered sender goes
to that sender and is never sent as a message; a new kind needs only its registration."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meetops.core.registry import AlreadyRegistered
from meetops.notifications.models import Channel, DeliveryAttempt, OutboxMessage, Status
from meetops.notifications.senders import CommitPoint
from meetops.notifications.worker import Worker
from meetops.workim import calendars, todos
from meetops.workim.syncs import register_sync, sync_for, unregister_sync

pytestmark = pytest.mark.django_db

EVENT = "workim.test_sync"


@pytest.fixture
def handled() -> Iterator[list[int]]:
    seen: list[int] = []

    def send(msg: OutboxMessage, commit_point: CommitPoint) -> str:
        commit_point()
        seen.append(msg.pk)
        return "synced"

    register_sync(EVENT, send)
    yield seen
    unregister_sync(EVENT)


def test_a_new_kind_of_sync_is_handed_its_rows_by_the_worker(handled: list[int]) -> None:
    # No platform is configured: sent as a message, this row would fail (im_unknown_platform).
    row = OutboxMessage.objects.create(
        channel=Channel.IM, event=EVENT, address="nowhere:thing", subject="x"
    )
    other = OutboxMessage.objects.create(
        channel=Channel.IM, event="meeting.invited", address="nowhere:someone", subject="y"
    )
    Worker().run_once(with_jobs=False)
    row.refresh_from_db()
    assert handled == [row.pk]
    assert row.status == Status.SENT
    assert DeliveryAttempt.objects.get(message=row).response_code == "synced"
    assert DeliveryAttempt.objects.get(message=other).response_code == "im_unknown_platform"


def test_to_dos_and_calendar_events_are_registered_under_their_events() -> None:
    assert sync_for(OutboxMessage(event=todos.EVENT)) is todos.send
    assert sync_for(OutboxMessage(event=calendars.CALENDAR_EVENT)) is calendars.sync
    assert sync_for(OutboxMessage(event="meeting.invited")) is None


def test_a_second_sender_for_one_event_is_refused() -> None:
    with pytest.raises(AlreadyRegistered, match=r"workim\.todo"):
        register_sync(todos.EVENT, calendars.sync)
