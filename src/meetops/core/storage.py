"""Uploaded files that go when the transaction that stored them rolls back.

A file is written to storage the moment its row is saved, inside the service's
`transaction.atomic()`. When the transaction then rolls back (a refused form after
the file was saved, a lock timeout, a savepoint undone), the row goes and the file
would stay: an orphan on disk or in the bucket that no page lists and no backup
explains. Every storage MeetOps configures (settings.STORAGES["default"]) is one of
these classes, so every upload of every app is covered without a service naming it.

Django has no "on rollback" hook. What it does do is drop the `on_commit` callbacks
of a transaction (or a savepoint) that rolls back, unrun. `on_rollback` registers a
callback whose only job is to be run on commit; if it is dropped instead, its
finalizer runs the cleanup. CPython frees the dropped callback at once, inside the
rollback, so the file is deleted there and then, in the same thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import weakref
from collections.abc import Callable
from typing import IO, Any

from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


class _RunOnCommit:
    """The on_commit callback: run means committed, dropped unrun means rolled back."""

    def __init__(self, cleanup: Callable[[], None], using: str) -> None:
        self._finalizer = weakref.finalize(self, _unless_committed, cleanup, using)
        # Not at interpreter exit: the connections may be gone by then (an orphan, as a crash).
        self._finalizer.atexit = False

    def __call__(self) -> None:
        self._finalizer.detach()


def _unless_committed(cleanup: Callable[[], None], using: str) -> None:
    # A callback is also dropped unrun when an earlier on_commit callback raised after a
    # commit: the connection still says its hooks are being run, and the file must stay.
    try:
        if connections[using].run_commit_hooks_on_set_autocommit_on:
            return
        cleanup()
    except Exception:  # a finalizer cannot raise; the orphan is worth a log line
        logger.exception("could not clean up after a rolled-back transaction")


def on_rollback(cleanup: Callable[[], None], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run `cleanup` if the current transaction, or the savepoint in it, rolls back.

    Outside a transaction nothing can roll back, so nothing is registered."""
    connection = connections[using]
    if connection.in_atomic_block:
        connection.on_commit(_RunOnCommit(cleanup, using))


class LocalStorage(FileSystemStorage):
    """Files under MEDIA_ROOT; a file stored in a transaction that rolls back is deleted."""

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        stored = super().save(name, content, max_length)
        # The path now, not the name: a test (or a setting) may move MEDIA_ROOT later.
        path = self.path(stored)
        on_rollback(lambda: _remove(path))
        return stored


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
