"""`meetops check` (this command under the name operators know; core/preflight.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.core import preflight


class Command(BaseCommand):
    help = (
        "Before a server starts: settings, system checks, pending migrations, and whether the "
        "database, Redis, file storage and the mail server answer. Non-zero exit on a problem."
    )
    requires_system_checks: list[str] = []  # it runs them itself, and reports instead of failing
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--deploy",
            action="store_true",
            default=None,
            help="include Django's deployment checks (the default outside MEETOPS_DEBUG)",
        )
        parser.add_argument(
            "--timeout", type=float, default=5.0, help="seconds to wait for each service"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        findings = preflight.run(deploy=opts["deploy"], timeout=opts["timeout"])
        for finding in findings:
            self.stdout.write(str(finding))
        problems = sum(1 for f in findings if f.level == "problem")
        if problems:
            raise CommandError(f"{problems} problem(s): fix them before starting MeetOps")
        self.stdout.write(self.style.SUCCESS("ok: MeetOps can start"))
