"""The audit chain under concurrent writers, on SQLite and PostgreSQL.

Writers of different meetings append to different streams and never wait on
each other's chain; writers of the same meeting queue on its row lock (and on
SQLite on the IMMEDIATE write lock). Either way no entry is lost and no stream
forks: every stream's seq runs 1..n without gaps and each entry names the hash
of the one before.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from meetops.core import audit
from meetops.core.models import AuditEntry
from meetops.meetings import services
from meetops.meetings.models import Meeting

THREADS = 4
WRITES = 8


def _hammer(meeting_ids: list[int], actor) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        try:
            start.wait()
            pk = meeting_ids[n % len(meeting_ids)]
            for i in range(WRITES):
                meeting = Meeting.objects.get(pk=pk)
                services.update_meeting(meeting, actor=actor, goals=f"writer {n} write {i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("same_meeting", [False, True], ids=["different-meetings", "same-meeting"])
def test_concurrent_writers_lose_nothing_and_fork_nothing(organiser, make_meeting, same_meeting):
    meetings = [make_meeting(title=f"并发 {n}") for n in range(1 if same_meeting else THREADS)]
    errors = _hammer([m.pk for m in meetings], organiser)
    assert errors == []

    updates = AuditEntry.objects.filter(action="meetings.meeting.updated")
    assert updates.count() == THREADS * WRITES
    for meeting in meetings:
        entries = list(AuditEntry.objects.filter(stream=f"meeting:{meeting.pk}").order_by("seq"))
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert len(entries) == 1 + THREADS * WRITES // len(meetings)  # created + updates
    _checked, breaks = audit.verify()
    assert breaks == []
