"""`meetops backup create|list|verify|restore|prune`: backups of the database and uploads (P7.6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetops.core import backup


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


class Command(BaseCommand):
    help = "Back up the database and the uploaded files; list, verify, restore and prune backups."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="write a backup now (and verify it)")
        create.add_argument("--dir", type=Path, default=None, help="where to write it")
        listing = sub.add_parser("list", help="the backups, newest first")
        listing.add_argument("--dir", type=Path, default=None)
        verify = sub.add_parser("verify", help="check a backup's checksums and database copy")
        verify.add_argument("file", type=Path)
        restore = sub.add_parser(
            "restore", help="replace the database and uploads with a backup's (servers stopped)"
        )
        restore.add_argument("file", type=Path)
        restore.add_argument("--yes", action="store_true", help="do it without asking")
        prune = sub.add_parser("prune", help="delete all but the newest backups")
        prune.add_argument("--keep", type=int, default=None)
        prune.add_argument("--dir", type=Path, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(backup, opts)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, backup: Any, opts: dict[str, Any]) -> None:
        info = backup.create_backup(directory=opts["dir"])
        result = backup.verify_backup(info.path)
        if not result.ok:
            raise CommandError("; ".join(result.problems))
        self.stdout.write(
            self.style.SUCCESS(
                f"{info.path} ({_size(info.size)}, {info.engine}, {info.file_count} files) verified"
            )
        )

    def _list(self, backup: Any, opts: dict[str, Any]) -> None:
        backups = backup.list_backups(opts["dir"])
        for info in backups:
            when = f"{info.created_at:%Y-%m-%d %H:%M:%S %Z}" if info.created_at else "?"
            self.stdout.write(
                f"{info.name}\t{when}\t{info.engine or '?'}\t{_size(info.size)}\t"
                f"{info.file_count} files"
            )
        self.stdout.write(f"{len(backups)} backups in {opts['dir'] or backup.backup_dir()}")

    def _verify(self, backup: Any, opts: dict[str, Any]) -> None:
        result = backup.verify_backup(opts["file"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"{opts['file']}: {len(result.problems)} problems")
        self.stdout.write(self.style.SUCCESS(f"{opts['file']}: OK"))

    def _restore(self, backup: Any, opts: dict[str, Any]) -> None:
        if not opts["yes"]:
            answer = input(
                "This replaces the database and every uploaded file. Stop the server and "
                "workers first. Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("not restored")
        info = backup.restore_backup(opts["file"])
        self.stdout.write(self.style.SUCCESS(f"restored {info.name}; run `meetops migrate` next"))

    def _prune(self, backup: Any, opts: dict[str, Any]) -> None:
        keep = opts["keep"] if opts["keep"] is not None else settings.MEETOPS_BACKUP_KEEP
        removed = backup.prune_backups(keep=keep, directory=opts["dir"])
        for path in removed:
            self.stdout.write(f"removed {path.name}")
        self.stdout.write(f"{len(removed)} removed, newest {keep} kept")
