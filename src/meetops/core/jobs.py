"""The scheduled backup (P7.6) and audit checkpoint (ADR 0011): periodic jobs of the worker."""

from __future__ import annotations

import logging

from django.conf import settings

from meetops.core import backup
from meetops.core.scheduler import BULK, periodic, prune_job_history

logger = logging.getLogger(__name__)

BACKUP_JOB = "core.backup"


def run_scheduled_backup() -> str:
    """Write a backup, check it, and keep the newest MEETOPS_BACKUP_KEEP. Returns its name.

    A failure raises, so the worker records it on the job's row, where the
    backups page shows it to the administrators.
    """
    info = backup.create_backup()
    result = backup.verify_backup(info.path)
    if not result.ok:
        raise backup.BackupError("; ".join(result.problems))
    removed = backup.prune_backups(keep=settings.MEETOPS_BACKUP_KEEP)
    logger.info("backup %s written and verified; %d old ones removed", info.name, len(removed))
    return info.name


if settings.MEETOPS_BACKUP_EVERY_HOURS > 0:
    # A bulk job: a worker on the urgent lane alone never spends an hour copying files.
    periodic(
        every_seconds=settings.MEETOPS_BACKUP_EVERY_HOURS * 3600,
        name=BACKUP_JOB,
        lane=BULK,
        lease_seconds=4 * 3600,
    )(run_scheduled_backup)


if settings.MEETOPS_AUDIT_CHECKPOINT_MINUTES > 0:
    from meetops.core.checkpoints import CHECKPOINT_JOB, run_scheduled_checkpoint

    periodic(every_seconds=settings.MEETOPS_AUDIT_CHECKPOINT_MINUTES * 60, name=CHECKPOINT_JOB)(
        run_scheduled_checkpoint
    )


periodic(every_seconds=24 * 3600, name="core.prune_job_history", lane=BULK)(prune_job_history)
