"""The scheduler (core.scheduler): each registered job runs once per interval across workers,
and a failure is kept on its row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from meetops.core.models import JobRun
from meetops.core.scheduler import JOBS, periodic, run_due_jobs

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
