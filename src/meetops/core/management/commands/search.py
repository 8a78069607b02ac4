"""`meetops search rebuild`: re-index every searchable object (meetings, the archive, …)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meetops.core.registry import SearchIndex, registry


class Command(BaseCommand):
    help = "Full-text search: `rebuild` re-indexes everything (after an upgrade or a restore)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="re-index every kind of searchable object")

    def handle(self, *args: Any, **options: Any) -> None:
        sources: list[SearchIndex] = list(registry["search_index"].values())
        for source in sorted(sources, key=lambda s: s.kind):
            count = source.rebuild()
            self.stdout.write(f"{source.kind}\t{count}")
