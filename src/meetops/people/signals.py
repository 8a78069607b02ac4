"""Signals of the people app, for apps above it that it must not name (docs/architecture.md).

`people_joined`: people came into an audience that apps above may have addressed before they
were in it: a department (an account created in one, or a person's main department changed by
the directory or at sign-in) or a saved group of people. Sent after the change is committed,
once per transaction, with `user_ids` (the people, sorted) and `what` ("department" or
"group"). A receiver re-reads the people; it must be safe to call again for the same people.
Connected by the apps that care in their own `contributions.py` (promotion: announcements
reach people who join their audience later).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

people_joined = Signal()


def joined(user_ids: Iterable[int], *, what: str) -> None:
    """Send `people_joined` for these people once the current transaction commits (not at all
    if it rolls back, as a directory sync's dry run does)."""
    ids = sorted({pk for pk in user_ids if pk})
    if ids:
        transaction.on_commit(
            lambda: people_joined.send(sender=None, user_ids=ids, what=what), robust=True
        )
