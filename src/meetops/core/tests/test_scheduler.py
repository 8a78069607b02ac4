"""The scheduler (core.scheduler): each registered job runs once per interval across workers,
and a failure is kept on its row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from meetops.core.models import JobRun, JobSlot
from meetops.core.scheduler import JOBS, periodic, prune_job_history, run_due_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted() -> Iterator[list[str]]:
    runs: list[str] = []
    periodic(every_seconds=600, name="test.counted")(lambda: runs.append("ran"))

    def broken() -> None:
        raise RuntimeError("the disk is full")

    periodic(every_seconds=600, name="test.broken")(broken)
    yield runs
    JOBS.unregister("test.counted")
    JOBS.unregister("test.broken")


def test_a_job_runs_once_per_interval(counted):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "test.counted" in run_due_jobs(worker="w1")
        assert "test.counted" not in run_due_jobs(worker="w2")
        assert counted == ["ran"]
        clock.shift(timedelta(seconds=601))
        assert "test.counted" in run_due_jobs(worker="w2")
    assert counted == ["ran", "ran"]
    assert JobRun.objects.get(name="test.counted").last_worker == "w2"


def test_a_failing_job_keeps_its_error_and_the_others_run(counted):
    ran = run_due_jobs(worker="w1")
    assert "test.broken" not in ran and "test.counted" in ran
    assert JobRun.objects.get(name="test.broken").last_error == "the disk is full"


def test_a_runner_that_died_is_taken_over_once_its_lease_runs_out(counted):
    job = JOBS["test.counted"]
    # Early in a slot, so that the lease running out stays inside the same slot.
    with time_machine.travel(
        job.slot_at(timezone.now()) + timedelta(seconds=10), tick=False
    ) as clock:
        now = timezone.now()
        # A worker claimed this slot and died mid-run: unfinished, lease still live.
        JobSlot.objects.create(
            job="test.counted",
            slot=job.slot_at(now),
            worker="dead",
            started_at=now,
            lease_until=now + timedelta(seconds=60),
        )
        assert "test.counted" not in run_due_jobs(worker="w2")
        clock.shift(timedelta(seconds=61))
        assert "test.counted" in run_due_jobs(worker="w2")
        assert "test.counted" not in run_due_jobs(worker="w3")
    row = JobSlot.objects.get(job="test.counted")
    assert (row.worker, row.attempts, row.finished_at is not None) == ("w2", 2, True)
    assert counted == ["ran"]


def test_a_worker_runs_only_the_jobs_of_its_lanes():
    runs: list[str] = []
    periodic(every_seconds=600, name="test.bulky", lane="bulk")(lambda: runs.append("bulk"))
    try:
        assert "test.bulky" not in run_due_jobs(worker="urgent-node", lanes=["urgent"])
        assert "test.bulky" in run_due_jobs(worker="bulk-node", lanes=["bulk"])
    finally:
        JOBS.unregister("test.bulky")
    assert runs == ["bulk"]


def test_old_slot_rows_are_pruned():
    now = timezone.now()
    for days in (1, 9):
        at = now - timedelta(days=days)
        JobSlot.objects.create(
            job="x", slot=at, started_at=at, lease_until=at, finished_at=at, worker="w"
        )
    assert prune_job_history(keep_days=7) == 1
    assert JobSlot.objects.count() == 1
