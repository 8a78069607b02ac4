"""Personal work IM messages (WeCom, DingTalk, Feishu) as a channel beside e-mail and the bell.

Notifications names no platform: the app that speaks to them (workim) registers one
`PersonalIm` here — who can be reached (`addresses`) and how a message goes out (`send`).

How a message gets there: `enqueue` and `enqueue_email(s)` mark one personal row per person
and call ("im" in its payload) without a query of their own. When a worker claims a marked
row, it asks `addresses` about the batch (one query) and queues one IM row per person that
has a linked platform, with the same subject, text, link, lane and language, deduplicated by
the source row (`im:<uuid>`), so a retried source never doubles it. The IM row then goes
through the outbox like any other: commit point, retries with the platform's error code in
the delivery log, unconfirmed handling.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from meetops.core.registry import Store
from meetops.notifications.models import Channel, OutboxMessage
from meetops.notifications.senders import CommitPoint, Permanent

if TYPE_CHECKING:
    from meetops.people.models import User

MARK = "im"


@dataclass(frozen=True)
class PersonalIm:
    """`addresses(users) -> {user id: address}` for those who can be reached (one query);
    `send(message, commit_point) -> response code` raising Retry / Permanent."""

    addresses: Callable[[Sequence[User]], Mapping[int, str]]
    send: Callable[[OutboxMessage, CommitPoint], str]


_channel: Store[PersonalIm] = Store("personal_im")


def register_personal_im(channel: PersonalIm) -> PersonalIm:
    """Register the work IM channel (one app may; a second registration is refused)."""
    return _channel.register("im", channel)


def personal_im() -> PersonalIm | None:
    return _channel.get("im")


def mark(row: OutboxMessage) -> OutboxMessage:
    """Let this personal row be copied to work IM when it is sent."""
    row.payload = {**(row.payload or {}), MARK: 1}
    return row


def fan_out(messages: Sequence[OutboxMessage]) -> int:
    """Queue the IM copies of the marked messages among `messages`; returns how many."""
    channel = personal_im()
    marked = [
        m for m in messages if m.user_id and m.channel != Channel.IM and (m.payload or {}).get(MARK)
    ]
    if channel is None or not marked:
        return 0
    addresses = channel.addresses([m.user for m in marked if m.user is not None])
    rows = [
        OutboxMessage(
            channel=Channel.IM,
            event=m.event,
            user_id=m.user_id,
            address=addresses[m.user_id or 0],
            meeting_id=m.meeting_id,
            language=m.language,
            subject=m.subject,
            body=m.body,
            url=m.url,
            lane=m.lane,
            dedupe_key=f"im:{m.uuid}",
        )
        for m in marked
        if m.user_id in addresses
    ]
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def send(msg: OutboxMessage, commit_point: CommitPoint) -> str:
    channel = personal_im()
    if channel is None:
        # The app that queued these is gone: nothing can deliver them.
        raise Permanent("no work IM channel is installed", "im_unavailable")
    return channel.send(msg, commit_point)
