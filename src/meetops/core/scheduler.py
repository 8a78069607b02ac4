"""Periodic jobs, run by `meetops worker` (and the embedded worker).

    from meetops.core.scheduler import periodic

    @periodic(every_seconds=300, name="venues.release_no_shows")
    def release_no_shows() -> None: ...

Jobs live in the registry's "jobs" store, declared by each app through its
`contributions.py`; a second job under a taken name is refused. A job runs at
most once per interval across all workers: each run is claimed by a
compare-and-set on its `JobRun` row (`next_run_at`), so several worker
processes never run the same job at the same time. Jobs must be idempotent
(a job may run again after a crash); enqueue with a `dedupe_key`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetops.core.models import JobRun
from meetops.core.registry import Store, owner_of, registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    func: Callable[[], object]


JOBS: Store[Job] = registry["jobs"]


def periodic(
    every_seconds: int, name: str | None = None
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        JOBS.register(job_name, Job(job_name, every_seconds, func), owner=owner_of(func.__module__))
        return func

    return register


def run_due_jobs(*, worker: str = "") -> list[str]:
    """Run every job whose time has come and that no other worker took. Returns the names run."""
    ran = []
    now = timezone.now()
    for job in list(JOBS.values()):
        row = JobRun.objects.filter(name=job.name).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = JobRun.objects.create(name=job.name, next_run_at=now)
            except IntegrityError:
                row = JobRun.objects.get(name=job.name)
        if row.next_run_at > now:
            continue
        claimed = JobRun.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=now + timedelta(seconds=job.every_seconds),
            last_started_at=now,
            last_worker=worker[:100],
        )
        if not claimed:
            continue
        try:
            job.func()
        except Exception as exc:
            logger.exception("periodic job %s failed", job.name)
            JobRun.objects.filter(pk=row.pk).update(last_error=str(exc)[:2000])
        else:
            JobRun.objects.filter(pk=row.pk).update(last_error="", last_finished_at=timezone.now())
            ran.append(job.name)
    return ran
