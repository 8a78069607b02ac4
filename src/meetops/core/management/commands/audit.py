from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.core.audit import verify


class Command(BaseCommand):
    help = "`meetops audit verify`: recompute every audit stream's hash chain; exit 1 on any break."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check the hash chains")

    def handle(self, *args: Any, **opts: Any) -> None:
        checked, breaks = verify()
        for b in breaks:
            self.stdout.write(f"BROKEN {b.stream} seq {b.seq} (entry {b.entry_id}): {b.reason}")
        if breaks:
            raise CommandError(f"audit log: {len(breaks)} break(s) in {checked} entries")
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {checked} entries verified"))
