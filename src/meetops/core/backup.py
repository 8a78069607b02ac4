"""Backups of the whole installation: the database and the uploaded files (P7.6).

A backup is one file, `meetops-backup-<UTC time>.tar.gz`, holding

    manifest.json        what is inside, with a SHA-256 of every member
    audit-checkpoint.json  the signed heads of the audit streams (ADR 0011), written first
    database.sqlite3     a consistent copy (SQLite's online backup API), or
    database.pgdump      `pg_dump --format=custom` of the PostgreSQL database
    uploads/...          every uploaded file (MEDIA_ROOT, or the S3 bucket)

The database is copied first and the files second: uploads are written before
the row that points at them commits, so every file a backed-up row refers to is
already on disk when the files are read. A file that arrives in between is
merely extra.

`verify` recomputes every checksum and opens the database copy (SQLite's
`integrity_check`, or `pg_restore --list`), so a backup is known to be usable
before the day it is needed. `restore` refuses to run into a different database
engine and keeps what it replaces beside it (`*.before-restore-<time>`).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from meetops.core import checkpoints
from meetops.core.checkpoints import PREFIX as CHECKPOINT_PREFIX
from meetops.core.checkpoints import checkpoint_dir
from meetops.core.errors import DomainError

logger = logging.getLogger(__name__)

FORMAT = 1
PREFIX = "meetops-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
UPLOADS = "uploads"
CHECKPOINT_MEMBER = "audit-checkpoint.json"


class BackupError(DomainError):
    """A backup could not be written, read, verified or restored."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message, "backup_failed")


@dataclass
class BackupInfo:
    """One backup file as the operator sees it (from its manifest)."""

    path: Path
    created_at: datetime | None
    engine: str
    size: int
    file_count: int
    manifest: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class VerifyResult:
    path: Path
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def backup_dir() -> Path:
    return Path(settings.MEETOPS_BACKUP_DIR)


def engine_name() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):  # pragma: no cover - only two are supported
        raise BackupError(_("Backups support SQLite and PostgreSQL only."))
    return vendor


# --- creating ---------------------------------------------------------------


def create_backup(*, directory: Path | None = None, now: datetime | None = None) -> BackupInfo:
    """Write a new backup into `directory` (MEETOPS_BACKUP_DIR by default) and return it."""
    directory = Path(directory or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    engine = engine_name()
    target = directory / f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    partial = target.with_name(target.name + ".partial")
    checkpoint = _audit_checkpoint()
    with tempfile.TemporaryDirectory(prefix="meetops-backup-") as tmp:
        work = Path(tmp)
        if engine == "sqlite":
            db_member = SQLITE_MEMBER
            _copy_sqlite(work / db_member)
        else:
            db_member = PG_MEMBER
            _dump_postgresql(work / db_member)
        members: dict[str, dict[str, Any]] = {db_member: _describe(work / db_member)}
        if checkpoint is not None:
            members[CHECKPOINT_MEMBER] = _describe(checkpoint)
        uploads = _uploaded_files(work)
        for name, path in uploads:
            members[f"{UPLOADS}/{name}"] = _describe(path)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": engine,
            "database": db_member,
            "migrations": _latest_migrations(),
            "members": members,
        }
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
            tar.add(work / db_member, arcname=db_member)
            if checkpoint is not None:
                tar.add(checkpoint, arcname=CHECKPOINT_MEMBER)
            for name, path in uploads:
                tar.add(path, arcname=f"{UPLOADS}/{name}")
    # Renamed only when complete: a crash never leaves a half-written file that
    # looks like a backup.
    os.replace(partial, target)
    return _info(target, manifest)


def _audit_checkpoint() -> Path | None:
    """A fresh signed checkpoint (before the database copy, so it never runs ahead of it).

    If the log was tampered with, no new one is signed; the backup then carries the last
    good one, which is the evidence.
    """
    try:
        return checkpoints.write_checkpoint().path
    except checkpoints.CheckpointError as exc:
        logger.error("backup without a new audit checkpoint: %s", exc.message)
        found, _problem = checkpoints.latest()
        return found.path if found else None


def _copy_sqlite(dest: Path) -> None:
    """A consistent snapshot, even while others write (WAL readers see one moment)."""
    _copy_file_db(Path(str(connection.settings_dict["NAME"])), dest)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _("%(tool)s was not found; install the PostgreSQL client tools.") % {"tool": name}
        )
    return found


def _run_pg_tool(tool: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore against the configured database; its stderr is the error."""
    args, env = _pg_env()
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [_pg_tool(tool), *args, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": tool, "error": result.stderr.strip()}
        )


def _dump_postgresql(dest: Path) -> None:
    _run_pg_tool("pg_dump", "--format=custom", "--no-owner", "--file", str(dest))


def _uploaded_files(work: Path) -> list[tuple[str, Path]]:
    """(name in storage, local path) of every uploaded file.

    Files under MEDIA_ROOT are read where they are; objects in a bucket are
    downloaded into `work` first.
    """
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        if not root.is_dir():
            return []
        return [
            (path.relative_to(root).as_posix(), path)
            for path in sorted(root.rglob("*"))
            if path.is_file() and not path.is_symlink()
        ]
    found = []
    for name in _stored_names(storage, ""):
        local = work / "objects" / name
        local.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, local.open("wb") as dest:
            shutil.copyfileobj(source, dest)
        found.append((name, local))
    return found


def _stored_names(storage: Storage, folder: str) -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _describe(path: Path) -> dict[str, Any]:
    return {"sha256": _sha256(path), "size": path.stat().st_size}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by(
        "app", "name"
    ):
        latest[app] = name
    return latest


# --- listing and pruning ----------------------------------------------------


def list_backups(directory: Path | None = None) -> list[BackupInfo]:
    """The backups in `directory`, newest first. Unreadable files are listed with no date."""
    directory = Path(directory or backup_dir())
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob(f"{PREFIX}*{SUFFIX}"):
        try:
            manifest = read_manifest(path)
        except BackupError:
            manifest = {}
        found.append(_info(path, manifest))
    found.sort(key=lambda b: b.name, reverse=True)
    return found


def prune_backups(*, keep: int, directory: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups. Returns what was deleted."""
    if keep < 1:
        raise BackupError(_("Keep at least one backup."))
    removed = []
    for info in list_backups(directory)[keep:]:
        info.path.unlink()
        removed.append(info.path)
    return removed


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(
            _("%(name)s is not a MeetOps backup: %(error)s") % {"name": path.name, "error": exc}
        ) from exc
    return manifest


def _info(path: Path, manifest: dict[str, Any]) -> BackupInfo:
    created = manifest.get("created_at")
    members = manifest.get("members", {})
    return BackupInfo(
        path=path,
        created_at=datetime.fromisoformat(created) if created else None,
        engine=manifest.get("engine", ""),
        size=path.stat().st_size,
        file_count=sum(1 for name in members if name.startswith(f"{UPLOADS}/")),
        manifest=manifest,
    )


# --- verifying and restoring -------------------------------------------------


def verify_backup(path: Path) -> VerifyResult:
    """Check every member against the manifest and open the database copy."""
    problems: list[str] = []
    try:
        manifest = read_manifest(path)
    except BackupError as exc:
        return VerifyResult(path, [str(exc.message)])
    with tempfile.TemporaryDirectory(prefix="meetops-verify-") as tmp:
        work = Path(tmp)
        try:
            _extract(path, work)
        except BackupError as exc:
            return VerifyResult(path, [str(exc.message)])
        expected = manifest.get("members", {})
        present = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()} - {
            MANIFEST
        }
        for name in sorted(set(expected) - present):
            problems.append(_("%(name)s is missing.") % {"name": name})
        for name in sorted(present - set(expected)):
            problems.append(_("%(name)s is not in the manifest.") % {"name": name})
        for name in sorted(set(expected) & present):
            if _sha256(work / name) != expected[name]["sha256"]:
                problems.append(_("%(name)s does not match its checksum.") % {"name": name})
        database = manifest.get("database", "")
        if not problems and database == SQLITE_MEMBER:
            problems += _check_sqlite(work / database)
        elif not problems and database == PG_MEMBER:
            problems += _check_pgdump(work / database)
    return VerifyResult(path, problems)


def _check_sqlite(path: Path) -> list[str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [_("The database copy cannot be read: %(error)s") % {"error": exc}]
    finally:
        db.close()
    if rows != [("ok",)]:
        return [_("The database copy is damaged: %(error)s") % {"error": rows[0][0]}]
    return []


def _check_pgdump(path: Path) -> list[str]:
    result = subprocess.run(  # noqa: S603 - fixed program
        [_pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return [_("The database dump cannot be read: %(error)s") % {"error": result.stderr.strip()}]
    return []


def _extract(path: Path, dest: Path) -> None:
    try:
        with tarfile.open(path, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links out of the
            # tree and device files: a doctored archive cannot write elsewhere.
            tar.extractall(dest, filter="data")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(
            _("%(name)s cannot be unpacked: %(error)s") % {"name": path.name, "error": exc}
        ) from exc


def restore_backup(path: Path, *, now: datetime | None = None) -> BackupInfo:
    """Replace the database and the uploaded files with the backup's.

    Run with the server and workers stopped. What is replaced is kept beside it,
    renamed `*.before-restore-<time>`.
    """
    result = verify_backup(path)
    if not result.ok:
        raise BackupError(
            _("The backup failed verification: %(problems)s")
            % {"problems": "; ".join(result.problems)}
        )
    manifest = read_manifest(path)
    engine = engine_name()
    if manifest["engine"] != engine:
        raise BackupError(
            _("This backup is of a %(backup)s database; MeetOps now uses %(current)s.")
            % {"backup": manifest["engine"], "current": engine}
        )
    moment = now or datetime.now(UTC)
    stamp = f"before-restore-{moment:%Y%m%dT%H%M%SZ}"
    with tempfile.TemporaryDirectory(prefix="meetops-restore-") as tmp:
        work = Path(tmp)
        _extract(path, work)
        connection.close()
        if engine == "sqlite":
            _restore_sqlite(work / SQLITE_MEMBER, stamp)
        else:
            _restore_postgresql(work / PG_MEMBER)
        _restore_uploads(work / UPLOADS, stamp)
        _restore_checkpoint(work / CHECKPOINT_MEMBER, stamp, moment)
    return _info(path, manifest)


def _restore_checkpoint(restored: Path, stamp: str, moment: datetime) -> None:
    """The restored log matches the backup's checkpoint, not the newer ones: set those aside."""
    folder = checkpoint_dir()
    if folder.exists():
        folder.rename(folder.with_name(f"{folder.name}.{stamp}"))
    folder.mkdir(parents=True)
    if restored.is_file():
        shutil.copy2(restored, folder / f"{CHECKPOINT_PREFIX}{moment:%Y%m%dT%H%M%S%fZ}.json")


def _restore_uploads(restored: Path, stamp: str) -> None:
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        media_root = Path(storage.location)
        if media_root.exists():
            media_root.rename(media_root.with_name(f"{media_root.name}.{stamp}"))
        if restored.is_dir():
            shutil.move(str(restored), str(media_root))
        else:
            media_root.mkdir(parents=True)
        return
    # A bucket: each backed-up object is written back under its own name. Objects
    # added since the backup stay (nothing in the restored database points at
    # them); keep the bucket versioned to have the replaced ones too.
    if not restored.is_dir():
        return
    for path in sorted(p for p in restored.rglob("*") if p.is_file()):
        name = path.relative_to(restored).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as fh:
            saved = storage.save(name, File(fh))
        if saved != name:  # pragma: no cover - the name was just freed
            raise BackupError(_("%(name)s could not be restored.") % {"name": name})


def _restore_sqlite(copy: Path, stamp: str) -> None:
    live = Path(str(connection.settings_dict["NAME"]))
    if live.exists():
        # A consistent copy of what is replaced, then the backup written over
        # it through SQLite itself, so the WAL and shared-memory files stay right.
        _copy_file_db(live, live.with_name(f"{live.name}.{stamp}"))
    _copy_file_db(copy, live)


def _copy_file_db(source_path: Path, dest_path: Path) -> None:
    source = sqlite3.connect(str(source_path))
    try:
        dest = sqlite3.connect(str(dest_path))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    _run_pg_tool(
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(dump)
    )
