"""`meetops directory sync PROVIDER [--dry-run] [--department ID ...]`: directory sync now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.core.errors import DomainError
from meetops.identity.models import SyncRun
from meetops.identity.providers import providers
from meetops.identity.sync import start_sync, summary_line


class Command(BaseCommand):
    help = (
        "Directory sync: `meetops directory sync PROVIDER [--dry-run] [--department ID ...]` "
        "prints one summary line; `meetops directory providers` lists the configured providers."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sync = sub.add_parser("sync", help="sync departments and people from a provider")
        sync.add_argument("provider")
        sync.add_argument("--dry-run", action="store_true", help="report, change nothing")
        sync.add_argument(
            "--department",
            action="append",
            default=[],
            metavar="ID",
            help="only this department's subtree (the provider's id; repeatable)",
        )
        sub.add_parser("providers", help="list configured providers")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "providers":
            for key, each in providers().items():
                sync = "sync" if each.can_sync else "-"
                self.stdout.write(f"{key}\t{each.kind}\t{sync}\t{each.label}")
            return
        provider = providers().get(opts["provider"])
        if provider is None:
            known = ", ".join(providers()) or "none configured"
            raise CommandError(f"no identity provider {opts['provider']!r} ({known})")
        try:
            run = start_sync(
                provider, actor=None, dry_run=opts["dry_run"], department_ids=opts["department"]
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(summary_line(run.counts))
        if run.dry_run:
            self.stderr.write("dry run: nothing was changed")
        for conflict in run.report.get("conflicts", []):
            self.stderr.write(f"conflict: {conflict.get('username')}: {conflict.get('message')}")
        for note in run.report.get("notes", []):
            self.stderr.write(f"note: {note.get('message')}")
        for failure in run.report.get("failures", []):
            self.stderr.write(
                f"failed: {failure.get('username', failure.get('department', ''))}: {failure.get('message')}"
            )
        if run.status == SyncRun.Status.FAILED:
            raise CommandError(run.error or "sync failed")
