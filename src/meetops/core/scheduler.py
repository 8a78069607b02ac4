"""Periodic jobs, run by `meetops worker` (and the embedded worker).

    from meetops.core.scheduler import periodic

    @periodic(every_seconds=300, name="venues.release_no_shows")
    def release_no_shows() -> None: ...

Jobs live in the registry's "jobs" store, declared by each app through its
`contributions.py`; a second job under a taken name is refused.

Exactly once per slot, on any number of workers: a job every N seconds has
slots of N seconds aligned on the epoch. The worker that inserts the job's
`JobSlot` row for the current slot runs it; the unique (job, slot) constraint
refuses every other worker, on SQLite and PostgreSQL alike. The runner holds
the slot until its lease runs out (`lease_seconds`, by default the period, at
most MEETOPS_JOB_LEASE_SECONDS); a runner that died leaves an unfinished row
whose lease ran out, and the next worker takes that slot over. A slot missed
entirely (no worker was up) is not caught up: the next slot runs. A job whose
previous run is still going (unfinished, lease live) is not started again.
Jobs must be idempotent all the same (a slot taken over runs again); enqueue
with a `dedupe_key`.

Each job has a lane (`urgent` or `bulk`, see notifications.lanes): a worker
started with `--lanes urgent` runs no bulk job (backups), so a long bulk job
never holds up reminders.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from meetops.core.models import JobRun, JobSlot
from meetops.core.registry import Store, owner_of, registry

logger = logging.getLogger(__name__)

URGENT, BULK = "urgent", "bulk"
LANES = (URGENT, BULK)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    func: Callable[[], object]
    lane: str = URGENT
    # How long a run may take before another worker presumes its runner dead (0: the default).
    lease_seconds: int = 0

    @property
    def lease(self) -> timedelta:
        default = min(self.every_seconds, int(settings.MEETOPS_JOB_LEASE_SECONDS))
        return timedelta(seconds=self.lease_seconds or default)

    def slot_at(self, when: datetime) -> datetime:
        """The start of the slot `when` falls in (UTC, aligned on the epoch)."""
        seconds = int(when.timestamp())
        return datetime.fromtimestamp(seconds - seconds % self.every_seconds, tz=UTC)


JOBS: Store[Job] = registry["jobs"]


def periodic(
    every_seconds: int,
    name: str | None = None,
    *,
    lane: str = URGENT,
    lease_seconds: int = 0,
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    if lane not in LANES:
        raise ValueError(f"unknown lane {lane!r}: one of {', '.join(LANES)}")

    def register(func: Callable[[], object]) -> Callable[[], object]:
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        job = Job(job_name, every_seconds, func, lane, lease_seconds)
        JOBS.register(job_name, job, owner=owner_of(func.__module__))
        return func

    return register


def _claim(job: Job, slot: datetime, now: datetime, worker: str) -> bool:
    """Take the job's slot: insert its row, or take over a run whose lease ran out."""
    try:
        with transaction.atomic():
            JobSlot.objects.create(
                job=job.name,
                slot=slot,
                worker=worker,
                started_at=now,
                lease_until=now + job.lease,
            )
        return True
    except IntegrityError:
        pass
    # Compare-and-set: of several workers finding the same dead run, one updates it.
    return bool(
        JobSlot.objects.filter(
            job=job.name, slot=slot, finished_at__isnull=True, lease_until__lt=now
        ).update(
            worker=worker, started_at=now, lease_until=now + job.lease, attempts=F("attempts") + 1
        )
    )


def _open_slots(jobs: list[Job], now: datetime) -> tuple[set[tuple[str, datetime]], set[str]]:
    """(job, slot) pairs already taken for the current slots, and jobs with a live run."""
    current = reduce(or_, (Q(job=j.name, slot=j.slot_at(now)) for j in jobs))
    taken = set()
    busy = set()
    for name, slot, finished, lease_until in JobSlot.objects.filter(
        current | Q(job__in=[j.name for j in jobs], finished_at__isnull=True, lease_until__gte=now)
    ).values_list("job", "slot", "finished_at", "lease_until"):
        if finished is not None or lease_until >= now:
            taken.add((name, slot))
        if finished is None and lease_until >= now:
            busy.add(name)
    return taken, busy


def _record(job: Job, slot: datetime, started: datetime, worker: str, error: str) -> None:
    finished = timezone.now()
    JobSlot.objects.filter(job=job.name, slot=slot, worker=worker).update(
        finished_at=finished, error=error
    )
    # The job's summary row, which the pages show (last run, last error, next due).
    summary = {
        "next_run_at": slot + timedelta(seconds=job.every_seconds),
        "last_started_at": started,
        "last_worker": worker,
        "last_error": error,
    }
    if not error:
        summary["last_finished_at"] = finished
    JobRun.objects.update_or_create(name=job.name, defaults=summary)


def run_due_jobs(*, worker: str = "", lanes: Iterable[str] = LANES) -> list[str]:
    """Run every job of `lanes` whose current slot no worker took. Returns the names run."""
    wanted = set(lanes)
    jobs = [j for j in JOBS.values() if j.lane in wanted]
    if not jobs:
        return []
    worker = worker[:100]
    now = timezone.now()
    taken, busy = _open_slots(jobs, now)
    ran = []
    for job in jobs:
        slot = job.slot_at(now)
        if (job.name, slot) in taken or job.name in busy:
            continue
        if not _claim(job, slot, now, worker):
            continue
        error = ""
        try:
            job.func()
        except Exception as exc:
            logger.exception("periodic job %s failed", job.name)
            error = str(exc)[:2000] or type(exc).__name__
        _record(job, slot, now, worker, error)
        if not error:
            ran.append(job.name)
    return ran


def prune_job_history(*, keep_days: int = 7) -> int:
    """Delete finished slot rows older than `keep_days` (a job every minute writes 1,440 a day)."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = JobSlot.objects.filter(slot__lt=cutoff, finished_at__isnull=False).delete()
    return deleted
