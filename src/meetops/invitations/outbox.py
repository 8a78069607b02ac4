"""The one door to the notifications outbox: mails are written in the caller's transaction.

Never send mail directly: the outbox worker delivers, retries and logs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from meetops.meetings.models import Meeting


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str
    dedupe_key: str
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def queue(mails: Iterable[Mail], *, meeting: Meeting | None = None) -> int:
    """Write the mails to the outbox (in the current transaction). Returns how many."""
    from meetops.notifications import services as notifications

    batch = list(mails)
    bulk = getattr(notifications, "enqueue_emails", None)
    if bulk is not None:
        bulk([_kwargs(m) for m in batch], meeting=meeting)
        return len(batch)
    for mail in batch:
        notifications.enqueue_email(**_kwargs(mail), meeting=meeting)
    return len(batch)


def _kwargs(mail: Mail) -> dict[str, object]:
    return {
        "to": mail.to, "subject": mail.subject, "text": mail.text, "html": mail.html,
        "attachments": mail.attachments, "dedupe_key": mail.dedupe_key,
    }
