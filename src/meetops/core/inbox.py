""" "Waiting for me": everything that waits on the signed-in user, across apps (ADR 0021).

Each app declares its sources in its `contributions.py` (the registry's "inbox" store); a
source answers in one query whatever the number of rows, and only with what the user may
decide or must do (never their own submission where the app forbids deciding it). This module
loops over the sources and names no app.

`waiting_for` is the one selector: the inbox page and API, the dashboard's "Need me", the
menu badge and the digests all read it, so they can never show different counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.functional import LazyObject, empty

from meetops.core.registry import InboxSource, Meeting, registry

if TYPE_CHECKING:
    from meetops.people.models import User  # the AUTH_USER_MODEL, for typing only

LIMIT = 200
_memo: ContextVar[dict[Any, Any] | None] = ContextVar("inbox_read_memo", default=None)
R = TypeVar("R")
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
    return waiting_for_many([user])[user.pk]


def waiting_for_many(users: Sequence[User]) -> dict[int, list[WaitingItem]]:
    """`waiting_for` of each of these people, by account id: for many at once (the digest),
    each source answers in the same number of queries whatever their number
    (`InboxSource.collect_many`). The sources name their items in the active language."""
    people = [_account(u) for u in users if u.is_authenticated]
    items: dict[int, list[WaitingItem]] = {u.pk: [] for u in people}
    sources: list[InboxSource] = registry["inbox"].ordered()
    token = _memo.set({})
    try:
        for source in sources:
            for pk, found in source.collect_many(people, LIMIT).items():
                items[pk] += found
    finally:
        _memo.reset(token)
    waiting = {pk: sorted(found, key=_oldest_first) for pk, found in items.items()}
    return {u.pk: waiting.get(u.pk, []) for u in users}


def per_person(
    users: Sequence[User], rows: Iterable[R], waits: Callable[[User, R], bool], limit: int
) -> dict[int, list[R]]:
    """For a source's `many`: which of `rows` (one query for everybody, in the source's own
    order) wait on each person, cut at `limit` like the person's own query."""
    rows = list(rows)
    return {user.pk: [r for r in rows if waits(user, r)][:limit] for user in users}


def one_of(
    many: Callable[[Sequence[User], int], Mapping[int, list[WaitingItem]]],
) -> Callable[[User, int], list[WaitingItem]]:
    """A source's `collect` as its `many` for one person: the source's rule is written once,
    batched, and a page's one person goes through it too (ADR 0021)."""

    def collect(user: User, limit: int) -> list[WaitingItem]:
        return list(many([user], limit).get(user.pk, []))

    return collect


def by_person(
    users: Sequence[User], rows: Iterable[R], whose: Callable[[R], int | None], limit: int
) -> dict[int, list[R]]:
    """For a source's `many` whose rows each name their one person (`whose`: the account id):
    each person's rows, in the query's order, cut at `limit`."""
    found: dict[int, list[R]] = {user.pk: [] for user in users}
    for row in rows:
        mine = found.get(whose(row))  # type: ignore[arg-type]
        if mine is not None and len(mine) < limit:
            mine.append(row)
    return found


def read_memo() -> dict[Any, Any] | None:
    """While `waiting_for_many` reads its sources, a dict they may share what they read about
    the people (e.g. their roles on the meetings involved: `meetings.selectors.
    prime_meeting_access`), so the next source does not read it again; None otherwise. It
    lives for that one read: nothing written meanwhile can be hidden by it."""
    return _memo.get()


def waiting_count(user: User) -> int:
    """How many things wait for this user: the number every place that counts them shows."""
    return len(waiting_for(user))


def _account(user: User) -> User:
    """The account itself rather than `request.user`'s lazy wrapper: what the sources prime on
    it (roles, departments; `people.selectors.prime_people`) lands on the instance the
    predicates then read, so one person's roles are read once for the whole inbox, not once
    more by the first predicate that asks (and each source's priming is not lost)."""
    # django.utils.functional.LazyObject, maybe around another (the second-factor middleware
    # wraps the session's user once more); evaluated already (`is_authenticated` was asked).
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _oldest_first(item: WaitingItem) -> tuple[bool, datetime]:
    if item.since is not None:
        return (False, item.since)
    return (True, item.meeting.start if item.meeting is not None else _LAST)
