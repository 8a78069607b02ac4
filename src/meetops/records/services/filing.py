"""Filing in the background: a page asks (`request_filing`), the worker files (`run_filing`).

Filing a meeting renders every document to PDF, stamps and checks it (seconds, see
docs/records.md), so a page records the request at once and the worker's job
`records.queued_filings` does the work, telling the run how far it got. Exactly once:

- one open run per meeting: a second request (two clicks, two people) gets the open run back
  (the meeting row is locked; a partial unique constraint backs it);
- one worker per run: a worker takes the run's lease (core.leases on `lease_until`) while it
  waits, or once the lease of a worker that died ran out; every later write of the worker is
  guarded by that lease (the lease names its holder);
- the filing commits only with the lease: the run is marked done inside the filing's own
  transaction, guarded by it; a worker whose lease was taken over rolls back.

The person who asked is told through the outbox when it is done, or why it failed; a failed
run can be asked again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.audit import audit_context
from meetops.core.errors import DomainError
from meetops.core.leases import renew_lease, take_lease, write_if_held
from meetops.core.models import AuditSource
from meetops.meetings.models import Meeting
from meetops.notifications import queue
from meetops.notifications.rendering import language_of
from meetops.people.models import User
from meetops.records import errors, notify
from meetops.records.models import (
    OPEN_FILING,
    Document,
    Dossier,
    DossierStatus,
    FilingRun,
    FilingStatus,
)
from meetops.records.permissions import can_file_meeting
from meetops.records.services.dossiers import _file

logger = logging.getLogger(__name__)

# Longer than any filing takes; progress renews it, so only a dead worker's run runs out.
LEASE = timedelta(minutes=10)
# The run's lease column (core.leases): set while a worker holds the run, None otherwise.
FIELD = "lease_until"
# A run whose worker died this many times is given up, with a reason, rather than retried.
MAX_ATTEMPTS = 3


class LeaseLost(Exception):
    """Another worker took the run over: this one must stop and write nothing."""


def request_filing(meeting: Meeting, *, actor: User) -> FilingRun:
    """Ask the worker to file the meeting (or gather what is new into its dossier). Returns the
    open run: a new one, or the one already asked for (nothing is filed twice).

    Preconditions: as `file_meeting` (the actor may file the meeting; the dossier, if any, is
    not finally filed)."""
    if not can_file_meeting(actor, meeting):
        raise errors.cannot_file()
    dossier = Dossier.objects.filter(meeting=meeting).first()
    if dossier is not None and dossier.status != DossierStatus.FILED:
        raise errors.dossier_locked(dossier)
    try:
        with transaction.atomic():
            # The meeting row alone is the lock two requests for it queue on.
            Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").get()
            open_run = FilingRun.objects.filter(meeting=meeting, status__in=OPEN_FILING).first()
            if open_run is not None:
                return open_run
            run = FilingRun.objects.create(meeting=meeting, requested_by=actor, dossier=dossier)
            audit.record(
                "records.filing.requested",
                run,
                actor=actor,
                data={"meeting": meeting.pk},
                new_stream=True,
            )
            transaction.on_commit(queue.wake)
            return run
    except IntegrityError:
        # Another request created the open run between our read and our insert.
        return FilingRun.objects.get(meeting=meeting, status__in=OPEN_FILING)


def claim_filing(*, now: datetime | None = None) -> tuple[FilingRun, datetime] | None:
    """Take the oldest run that waits, or whose worker died (its lease ran out), for this
    worker. Compare-and-set: of several workers, one gets it. Returns (run, lease)."""
    now = now or timezone.now()
    _give_up_dead_runs(now)
    # Waiting runs have no lease; a running one is free once its lease ran out.
    due = Q(status=FilingStatus.QUEUED) | Q(status=FilingStatus.RUNNING, attempts__lt=MAX_ATTEMPTS)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    for pk in FilingRun.objects.filter(due & free).order_by("pk").values_list("pk", flat=True)[:5]:
        lease = take_lease(
            FilingRun,
            pk,
            seconds=LEASE.total_seconds(),
            now=now,
            field=FIELD,
            where=due,
            values={
                "status": FilingStatus.RUNNING,
                "started_at": now,
                "attempts": F("attempts") + 1,
                "done": 0,
                "total": 0,
            },
        )
        if lease is not None:
            return FilingRun.objects.select_related("meeting", "requested_by").get(pk=pk), lease
    return None


def _give_up_dead_runs(now: datetime) -> None:
    dead = FilingRun.objects.filter(
        status=FilingStatus.RUNNING, lease_until__lt=now, attempts__gte=MAX_ATTEMPTS
    ).select_related("meeting", "requested_by")
    for run in dead:
        if run.lease_until is None:  # (the filter says it is not: for the type checker)
            continue
        with translation.override(language_of(run.requested_by)):
            reason = _("The worker stopped while filing, %(count)d times. Ask again.") % {
                "count": run.attempts
            }
        # Guarded by the lease that ran out: of two workers giving it up, one does.
        _fail(_Held(run, run.lease_until), reason, "filing_interrupted")


@dataclass
class _Held:
    """The run this worker holds, and its lease as last renewed. No claim token beside it: a
    run's lease is unique to the worker that took it (core.leases), so it guards its writes."""

    run: FilingRun
    lease: datetime


def run_filing(run: FilingRun, *, lease: datetime) -> FilingRun:
    """File the run's meeting as the person who asked, with the rights they have now; mark the
    run done (with the filing, in one transaction) or failed with the reason. `lease`: this
    worker's, from `claim_filing`."""
    actor = run.requested_by
    held = _Held(run, lease)
    with audit_context(AuditSource.TASK), translation.override(language_of(actor)):
        if actor is None or not actor.is_active:
            _fail(held, _("The person who asked for the filing can no longer file."), "gone")
            return _reread(run)
        try:
            _file(
                run.meeting,
                actor=actor,
                progress=lambda done, total: _progress(held, done, total),
                finish=lambda dossier, added: _finish(held, dossier, added),
            )
        except LeaseLost:
            logger.info("filing run %s was taken over by another worker", run.pk)
        except DomainError as exc:
            _fail(held, str(exc.message), exc.code)
        except Exception as exc:
            logger.exception("filing run %s failed", run.pk)
            _fail(
                held,
                _(
                    "Filing stopped on an unexpected error (%(error)s). Ask again, or tell the administrator."
                )
                % {"error": type(exc).__name__},
                "filing_crashed",
            )
    return _reread(run)


def _reread(run: FilingRun) -> FilingRun:
    return FilingRun.objects.select_related("meeting", "dossier", "requested_by").get(pk=run.pk)


def _progress(held: _Held, done: int, total: int) -> None:
    """How far the rendering got; renews the lease, and stops a worker that lost it. (Called
    while rendering, before the filing's transaction: a renewal is never rolled back.)"""
    lease = renew_lease(
        FilingRun,
        held.run.pk,
        held.lease,
        seconds=LEASE.total_seconds(),
        field=FIELD,
        values={"done": done, "total": total},
    )
    if lease is None:
        raise LeaseLost
    held.lease = lease


def _finish(held: _Held, dossier: Dossier, added: list[Document]) -> None:
    """Inside the filing's transaction: the run is done only if this worker still holds it."""
    done = {
        "status": FilingStatus.DONE,
        "dossier": dossier,
        "added": len(added),
        "done": F("total"),
        "finished_at": timezone.now(),
        FIELD: None,
    }
    if not write_if_held(FilingRun, held.run.pk, held.lease, done, field=FIELD):
        raise LeaseLost
    notify.filing_done(held.run, dossier=dossier, added=len(added))


def _fail(held: _Held, reason: str, code: str) -> None:
    run = held.run
    failed = {
        "status": FilingStatus.FAILED,
        "error": reason[:2000],
        "error_code": code[:60],
        "finished_at": timezone.now(),
        FIELD: None,
    }
    with transaction.atomic():
        if not write_if_held(FilingRun, run.pk, held.lease, failed, field=FIELD):
            return  # taken over meanwhile: the other worker decides how it ends
        audit.record(
            "records.filing.failed",
            run,
            actor=run.requested_by,
            data={"meeting": run.meeting_id, "error_code": code, "reason": reason},
        )
        notify.filing_failed(run, reason=reason)
