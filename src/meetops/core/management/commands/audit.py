from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.core import checkpoints
from meetops.core.audit import verify


class Command(BaseCommand):
    help = (
        "`meetops audit verify`: recompute every audit stream's sealed chain and compare its "
        "head with the last signed checkpoint; exit 1 on any break. "
        "`meetops audit checkpoint`: sign every stream's head into a new checkpoint file."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check the chains and the last checkpoint")
        sub.add_parser("checkpoint", help="write a signed checkpoint of every stream's head")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "checkpoint":
            try:
                written = checkpoints.write_checkpoint()
            except checkpoints.CheckpointError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"checkpoint {written.path} ({len(written.streams)} streams)")
            return
        found, _problem = checkpoints.latest()
        checked, breaks = verify()
        for b in breaks:
            self.stdout.write(f"BROKEN {b.stream} seq {b.seq} (entry {b.entry_id}): {b.reason}")
        if breaks:
            raise CommandError(f"audit log: {len(breaks)} break(s) in {checked} entries")
        against = f"checkpoint of {found.created_at}" if found else "no checkpoint yet"
        self.stdout.write(
            self.style.SUCCESS(f"audit log intact: {checked} entries verified ({against})")
        )
