"""`meetops scheduler`: run the periodic jobs, and nothing else (the `scheduler` role).

Each job run is claimed in the database (core/scheduler.py), so a second scheduler, or a
`meetops worker` that still runs jobs, never runs a job twice in its interval.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from meetops.core.audit import audit_context
from meetops.core.models import AuditSource
from meetops.core.scheduler import run_due_jobs

logger = logging.getLogger("meetops.scheduler")


class Command(BaseCommand):
    help = "Run the periodic jobs (reminders, escalations, backups, audit checkpoints) on time."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due now, then exit")
        parser.add_argument(
            "--poll", type=float, default=15.0, help="seconds between looks at the job table"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        name = f"scheduler:{socket.gethostname()}:{os.getpid()}"
        stopping = threading.Event()
        if not opts["once"]:
            # Only a flag: the running job finishes before the process leaves.
            signal.signal(signal.SIGTERM, lambda *_: stopping.set())
            signal.signal(signal.SIGINT, lambda *_: stopping.set())
        with audit_context(AuditSource.TASK):
            while not stopping.is_set():
                close_old_connections()
                try:
                    ran = run_due_jobs(worker=name)
                except Exception:
                    if opts["once"]:
                        raise
                    # The database went away between claims: try again on the next look.
                    logger.exception("scheduler loop failed; retrying")
                    ran = []
                if ran:
                    self.stdout.write("ran " + ", ".join(ran))
                    self.stdout.flush()
                if opts["once"]:
                    break
                stopping.wait(opts["poll"])
        close_old_connections()
