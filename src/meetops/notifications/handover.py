"""The sent marker, committed as close to the irreversible byte as the database allows.

`mark()` sets `handed_over_at` for the worker's claim (0 rows: the lease was
taken, `LeaseLost`) and makes it durable. It returns `settle`, to be called
right after the irreversible write (SMTP's final ".").

Synchronous (SQLite, or `pipelined=False`): the marker commits before `mark()`
returns; `settle` does nothing. On PostgreSQL an autocommit UPDATE is
irrevocable from the moment its bytes leave (the server commits it even if the
client dies), so the exposed window is a whole round trip plus the client's
bookkeeping.

Pipelined (PostgreSQL): BEGIN and the UPDATE run as usual and the row count is
checked; then COMMIT is written to the socket and `mark()` returns at once, so
the only thing between the COMMIT and the "." is the two socket writes. A
worker killed after the COMMIT bytes left still commits (the server reads
them before it sees the connection close); one killed before it rolls back.
`settle` reads COMMIT's answer. If COMMIT failed, the message's fate is still
known from the SMTP answer; the worker records it on a fresh connection (see
`Worker._record`). Django is in autocommit mode and outside any atomic block
throughout, so its transaction bookkeeping never sees the explicit BEGIN.
"""

from __future__ import annotations

import contextlib
import logging
import select
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.utils import timezone

from meetops.notifications.models import OutboxMessage, Status

logger = logging.getLogger("meetops.worker")

Settle = Callable[[], bool]


class LeaseLost(Exception):
    """Another worker recovered this message: do not send it."""


def _ok() -> bool:
    return True


def can_pipeline() -> bool:
    return (
        connection.vendor == "postgresql"
        and connection.get_autocommit()
        and not connection.in_atomic_block
    )


def mark(msg: Any, *, pipelined: bool = False) -> Settle:
    """Set and commit the sent marker for this claim. See the module docstring."""
    now = timezone.now()
    mine = OutboxMessage.objects.filter(
        pk=msg.pk, claim_token=msg.claim_token, status=Status.SENDING
    )
    if not (pipelined and can_pipeline()):
        if mine.update(handed_over_at=now) != 1:
            raise LeaseLost(msg.pk)
        msg.handed_over_at = now
        return _ok
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            updated = mine.update(handed_over_at=now)
        except BaseException:
            _rollback(cursor)
            raise
        if updated != 1:
            _rollback(cursor)
            raise LeaseLost(msg.pk)
    pgconn = connection.connection.pgconn
    pgconn.send_query(b"COMMIT")
    while pgconn.flush():  # psycopg keeps libpq non-blocking: push the 12 bytes out now
        select.select([], [pgconn.socket], [])
    msg.handed_over_at = now
    return lambda: _read_commit(pgconn)


def _rollback(cursor: Any) -> None:
    with contextlib.suppress(Exception):
        cursor.execute("ROLLBACK")


def _read_commit(pgconn: Any) -> bool:
    """Read COMMIT's answer. False (and a closed connection) if it did not succeed."""
    from psycopg import pq

    ok = False
    try:
        pgconn.consume_input()
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        while (result := pgconn.get_result()) is not None:
            ok = result.status == pq.ExecStatus.COMMAND_OK
            if not ok:
                logger.error("sent marker COMMIT failed: %s", result.error_message.decode())
        ok = ok and pgconn.transaction_status == pq.TransactionStatus.IDLE
    except Exception:
        logger.exception("sent marker COMMIT: no answer from the database")
        ok = False
    if not ok:
        with contextlib.suppress(Exception):
            connection.close()  # the next query opens a fresh connection
    return ok
