"""Several worker processes on Redis: woken at once by a commit, each message sent once.

Runs when REDIS_URL is set (CI starts a Redis server).
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from typing import Any

import pytest
from django.db import transaction

from meetops.notifications import queue, services
from meetops.notifications.models import OutboxMessage, Status
from meetops.notifications.tests.test_worker_kill import start_worker, wait_for

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set"),
]


@pytest.fixture
def redis_settings(settings: Any) -> Any:
    settings.REDIS_URL = REDIS_URL
    queue.redis_client.cache_clear()
    queue.redis_client().delete(queue.WAKE_KEY)
    yield settings
    queue.redis_client.cache_clear()


def test_workers_wake_on_commit_and_share_the_work(smtp: Any, redis_settings: Any) -> None:
    env = {"REDIS_URL": REDIS_URL}
    # A poll far longer than any wait here: only the commit's wake-up can explain delivery.
    workers = [start_worker(smtp, "--poll", "600", env=env) for _ in range(2)]
    try:
        time.sleep(3)  # both are started and blocked on Redis, not polling
        with transaction.atomic():
            services.enqueue_emails(
                {"to": f"p{i}@example.org", "subject": "s", "text": "t"} for i in range(40)
            )
        started = time.monotonic()
        wait_for(lambda: len(smtp.messages) == 40, timeout=90)
        # Far less than the 600 s poll, with room for a loaded 2-core CI machine.
        assert time.monotonic() - started < 90
        time.sleep(0.5)
        counts = Counter(smtp.message_ids())
        assert len(counts) == 40 and max(counts.values()) == 1
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    finally:
        for w in workers:
            os.kill(w.pid, signal.SIGTERM)
        for w in workers:
            w.wait(15)
    assert [w.returncode for w in workers] == [0, 0], [
        w.stdout.read().decode()[-2000:] for w in workers
    ]
