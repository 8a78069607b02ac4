"""Identity's periodic jobs, run by `meetops worker`: syncs an admin asked for on the sync
page (picked up within seconds), and the scheduled sync of every provider that lists people
every `MEETOPS_DIRECTORY_SYNC_MINUTES` (0 = never)."""

from __future__ import annotations

import logging

from django.conf import settings

from meetops.core.errors import DomainError
from meetops.core.scheduler import periodic
from meetops.identity.models import SyncRun
from meetops.identity.providers import providers
from meetops.identity.sync import claim_queued, execute, start_sync

logger = logging.getLogger(__name__)

QUEUED_JOB = "identity.queued_syncs"
SCHEDULED_JOB = "identity.directory_sync"


@periodic(every_seconds=5, name=QUEUED_JOB)
def run_queued_syncs() -> int:
    """Run the syncs admins queued; returns how many ran."""
    ran = 0
    while (run := claim_queued()) is not None:
        provider = providers().get(run.provider)
        if provider is None:
            SyncRun.objects.filter(pk=run.pk).update(
                status=SyncRun.Status.FAILED, error=f"no provider {run.provider}"
            )
            continue
        execute(run, provider)
        ran += 1
    return ran


def run_scheduled_syncs() -> list[str]:
    """Sync every provider that can list people. Returns their keys."""
    done = []
    for key, provider in providers().items():
        if not provider.can_sync:
            continue
        try:
            run = start_sync(provider, actor=None)
        except DomainError as exc:  # one already running: skip this round
            logger.info("scheduled sync of %s skipped: %s", key, exc.code)
            continue
        if run.status == SyncRun.Status.FAILED:
            logger.warning("scheduled sync of %s failed: %s", key, run.error)
        done.append(key)
    return done


if settings.MEETOPS_DIRECTORY_SYNC_MINUTES > 0:
    periodic(every_seconds=settings.MEETOPS_DIRECTORY_SYNC_MINUTES * 60, name=SCHEDULED_JOB)(
        run_scheduled_syncs
    )
