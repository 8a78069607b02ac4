"""`meetops worker`: send the outbox and run periodic jobs. `--burst`: do what is due and exit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.core.audit import audit_context
from meetops.core.models import AuditSource
from meetops.notifications.lanes import parse_lanes
from meetops.notifications.worker import Stats, Worker


class Command(BaseCommand):
    help = "Send queued notifications and run periodic jobs (several workers may run at once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--burst", action="store_true", help="do what is due now, then exit")
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help="only send; leave the periodic jobs to `meetops scheduler`",
        )
        parser.add_argument(
            "--poll", type=float, default=5.0, help="seconds between polls when idle"
        )
        parser.add_argument("--batch", type=int, default=50, help="messages claimed at a time")
        parser.add_argument("--name", default=None, help="worker name shown in the delivery log")
        parser.add_argument(
            "--lanes",
            default=None,
            help="lanes to take, urgent first: urgent,bulk (default MEETOPS_WORKER_LANES)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            lanes = parse_lanes(opts["lanes"]) if opts["lanes"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        worker = Worker(name=opts["name"], batch_size=opts["batch"], lanes=lanes)
        worker.install_signal_handlers()
        total = Stats()

        def report(stats: Stats) -> None:
            total.sent += stats.sent
            total.failed += stats.failed
            total.dead += stats.dead
            total.recovered += stats.recovered
            if stats.handled or stats.recovered:
                self.stdout.write(
                    f"sent {stats.sent}, retrying {stats.failed}, given up {stats.dead}, recovered {stats.recovered}"
                )
                self.stdout.flush()

        with audit_context(AuditSource.TASK):
            worker.run(
                burst=opts["burst"],
                poll_seconds=opts["poll"],
                on_stats=report,
                with_jobs=not opts["no_jobs"],
            )
        if opts["burst"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"done: sent {total.sent}, retrying {total.failed}, given up {total.dead}, recovered {total.recovered}"
                )
            )
