""" "Waiting for me": everything that waits on the signed-in user, across apps (ADR 0021).

Each app declares its sources in its `contributions.py` (the registry's "inbox" store); a
source answers in one query whatever the number of rows, and only with what the user may
decide or must do (never their own submission where the app forbids deciding it). This module
loops over the sources and names no app.

`waiting_for` is the one selector: the inbox page and API, the dashboard's "Need me", the
menu badge and the digests all read it, so they can never show different counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from meetops.core.registry import InboxSource, Meeting, registry

if TYPE_CHECKING:
    from meetops.people.models import User  # the AUTH_USER_MODEL, for typing only

LIMIT = 200
_LAST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WaitingItem:
    # "report" | "minutes" | "emergency_plan" | "budget" | "settlement" | "escalation" |
    # "acceptance" | "destruction" | "case" | "booking" | "rsvp" | "action": part of the API
    # contract
    kind: str
    label: str
    # None for what belongs to no meeting (a best practice from elsewhere awaiting approval).
    meeting: Meeting | None
    url: str
    since: datetime | None
    by: str
    subject: str = ""

    @property
    def title(self) -> str:
        """What the item is about: its meeting, or its own subject without one."""
        if self.subject:
            return self.subject
        return self.meeting.title if self.meeting is not None else ""


def submitted_items(rows: Iterable[Any], kind: str, label: str, page: str) -> list[WaitingItem]:
    """Rows of one source (each with .meeting, .submitted_at, .submitted_by) as inbox items
    linking to the meeting's `page`."""
    return [
        WaitingItem(
            kind,
            label,
            r.meeting,
            f"/meetings/{r.meeting_id}/{page}/",
            r.submitted_at,
            str(r.submitted_by or ""),
        )
        for r in rows
    ]


def waiting_for(user: User) -> list[WaitingItem]:
    """Everything awaiting this user's decision, oldest first."""
    if not user.is_authenticated:
        return []
    items: list[WaitingItem] = []
    sources: list[InboxSource] = registry["inbox"].ordered()
    for source in sources:
        items += source.collect(user, LIMIT)
    return sorted(items, key=_oldest_first)


def waiting_count(user: User) -> int:
    """How many things wait for this user: the number every place that counts them shows."""
    return len(waiting_for(user))


def _oldest_first(item: WaitingItem) -> tuple[bool, datetime]:
    if item.since is not None:
        return (False, item.since)
    return (True, item.meeting.start if item.meeting is not None else _LAST)
