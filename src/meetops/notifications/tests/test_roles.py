"""The process roles a deployment runs apart: `meetops worker --no-jobs` only sends,
`meetops scheduler` only runs the periodic jobs (deploy/, docs/operations.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from meetops.core.models import JobRun
from meetops.core.scheduler import JOBS, periodic
from meetops.notifications import services
from meetops.notifications.models import OutboxMessage, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both loops drop stale connections between rounds, which would close the test's own.
    from meetops.core.management.commands import scheduler
    from meetops.notifications import worker

    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)


@pytest.fixture
def job_runs() -> Iterator[list[str]]:
    runs: list[str] = []
    periodic(every_seconds=600, name="test.role_probe")(lambda: runs.append("ran"))
    yield runs
    JOBS.unregister("test.role_probe")


def _queue_mail() -> OutboxMessage:
    with transaction.atomic():
        return services.enqueue_email(to="clerk@example.org", subject="议程已发布", text="见附件")


def test_the_scheduler_runs_due_jobs_and_sends_no_mail(
    smtp: Any, job_runs: list[str], meetops_cli: Any
) -> None:
    msg = _queue_mail()
    code, out, _ = meetops_cli("scheduler", "--once")
    assert code == 0
    assert job_runs == ["ran"]
    assert "test.role_probe" in out
    assert smtp.messages == []
    msg.refresh_from_db()
    assert msg.status == Status.QUEUED


def test_a_worker_without_jobs_sends_mail_and_runs_no_job(
    smtp: Any, job_runs: list[str], meetops_cli: Any
) -> None:
    _queue_mail()
    code, _, _ = meetops_cli("worker", "--burst", "--no-jobs")
    assert code == 0
    [mail] = smtp.messages
    assert mail["To"] == "clerk@example.org"
    assert job_runs == []
    assert not JobRun.objects.filter(name="test.role_probe").exists()


def test_a_worker_by_default_still_runs_the_jobs(
    smtp: Any, job_runs: list[str], meetops_cli: Any
) -> None:
    code, _, _ = meetops_cli("worker", "--burst")
    assert code == 0
    assert job_runs == ["ran"]
