"""Waking workers up when there is something to send.

The outbox table is the queue and the claim in the database decides who sends
what. This module only shortens the wait: with `REDIS_URL` set, a commit that
queued messages pushes a token onto a Redis list and every idle worker blocks
on it (BLPOP) instead of sleeping out its poll interval; without Redis, a
worker thread in the same process (`meetops serve`'s embedded worker) is woken
through a threading.Event. A lost wake-up costs at most one poll interval.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

WAKE_KEY = "meetops:outbox:wake"
_local_event = threading.Event()


@lru_cache(maxsize=1)
def redis_client() -> Any | None:
    if not settings.REDIS_URL:
        return None
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=30, socket_connect_timeout=5)


def wake_local() -> None:
    _local_event.set()


def wake() -> None:
    _local_event.set()
    client = redis_client()
    if client is None:
        return
    try:
        # One token per commit; capped so an idle system does not grow the list.
        pipe = client.pipeline()
        pipe.lpush(WAKE_KEY, "1")
        pipe.ltrim(WAKE_KEY, 0, 99)
        pipe.execute()
    except Exception:  # Redis down: the workers still poll the table.
        logger.warning("could not wake workers through Redis", exc_info=True)


def wait(timeout: float, stop: threading.Event | None = None) -> bool:
    """Block until woken, `stop` is set, or `timeout` seconds pass. True if woken."""
    client = redis_client()
    if client is not None:
        deadline = time.monotonic() + timeout
        try:
            # One-second slices, so a stopping worker notices within a second.
            while time.monotonic() < deadline and not (stop and stop.is_set()):
                if client.blpop([WAKE_KEY], timeout=1) is not None:
                    return True
            return False
        except Exception:
            logger.warning("Redis wait failed; polling instead", exc_info=True)
    woken = _local_event.wait(timeout)
    _local_event.clear()
    return woken
