"""`meetops names recompute`: the pinyin and stroke keys of every name, after a rule change."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meetops.people.services import recompute_name_keys


class Command(BaseCommand):
    help = "Names: `recompute` refreshes the stored pinyin and stroke-order keys of every name."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("recompute", help="recompute every stored name key (MEETOPS_STROKE_ORDER)")

    def handle(self, *args: Any, **options: Any) -> None:
        for label, changed in recompute_name_keys().items():
            self.stdout.write(f"{label}\t{changed} changed")
