"""The one door to the notifications outbox: mails are written in the caller's transaction.

Never send mail directly: the outbox worker delivers, retries and logs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from meetops.meetings.models import Meeting
from meetops.notifications.services import enqueue_emails


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str
    dedupe_key: str
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    # The notification event it belongs to (the delivery log groups by it) and the account, if any.
    event: str = "meeting.invited"
    user: Any = None
    # The page the message is about (the personal RSVP page): the link a work IM copy carries.
    url: str = ""


def queue(mails: Iterable[Mail], *, meeting: Meeting | None = None) -> int:
    """Write the mails to the outbox in one bulk insert (in the current transaction). Returns how many."""
    return enqueue_emails(
        {
            "to": m.to,
            "subject": m.subject,
            "text": m.text,
            "html": m.html,
            "attachments": m.attachments,
            "dedupe_key": m.dedupe_key,
            "meeting": meeting,
            "event": m.event,
            "user": m.user,
            "url": m.url,
        }
        for m in mails
    )
