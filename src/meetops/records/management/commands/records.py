"""`meetops records due`: dossiers whose retention has ended, for the archivist (P7.10)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meetops.records.selectors import all_due


class Command(BaseCommand):
    help = "Archive housekeeping: `due` lists dossiers due for destruction."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("due", help="list dossiers whose retention period has ended")

    def handle(self, *args: Any, **options: Any) -> None:
        # The operator owns the machine: every dossier, whatever its confidentiality.
        due = all_due()
        count = 0
        for d in due:
            count += 1
            self.stdout.write(
                f"{d.archive_number}\t{d.retain_until}\t{d.retention.code}\t{d.title}"
            )
        self.stdout.write(f"{count} due")
