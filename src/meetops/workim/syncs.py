"""Platform sync requests: outbox rows on the work IM channel that are not messages.

Some things MeetOps keeps on a platform are not messages but state to bring up to date — a
person's to-do for an action item (todos.py), a meeting's calendar event (calendars.py). Their
changes queue a `Channel.IM` outbox row under an event of their own, so that the request gets
every outbox guarantee (retries with the platform's code, lanes, unconfirmed handling). The
module that owns the kind registers its sender here under that event:

    register_sync(EVENT, send)   # send(msg, commit_point) -> response code

and the channel (channel.py) looks the row's event up once: a registered event is handed to
its sender, anything else is a personal message. A new kind is its module and this one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetops.core.registry import Store
from meetops.notifications.models import Channel, OutboxMessage
from meetops.notifications.senders import CommitPoint

SyncSender = Callable[[OutboxMessage, CommitPoint], str]

_syncs: Store[SyncSender] = Store("workim_syncs")


def register_sync(event: str, send: SyncSender) -> SyncSender:
    """Hand outbox rows of `event` to `send`; a second sender for one event is refused
    (core.registry.AlreadyRegistered)."""
    return _syncs.register(event, send)


def unregister_sync(event: str) -> SyncSender:
    """Remove a sender (tests that register a temporary one)."""
    return _syncs.unregister(event)


def sync_for(msg: OutboxMessage) -> SyncSender | None:
    """The sender of the sync request `msg` is, or None when it is a message."""
    return _syncs.get(msg.event)


def queue_removal(
    event: str, *, address: str, subject: str, payload: dict[str, Any], key: str, lane: str
) -> None:
    """Inside the transaction that deletes a row which kept something on a platform (its
    meeting, item or person was deleted): ask the worker to delete it there. `payload` holds
    all it takes to find it, the row being gone; the request names no person or meeting,
    which may be going in the same transaction. One request per `key`."""
    request = OutboxMessage(
        channel=Channel.IM,
        event=event,
        address=address,
        subject=subject[:300],
        payload=payload,
        lane=lane,
        dedupe_key=f"{event}:{key}"[:200],
    )
    OutboxMessage.objects.bulk_create([request], ignore_conflicts=True)
