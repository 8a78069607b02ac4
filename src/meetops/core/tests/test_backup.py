"""Backups (P7.6): written, verified, listed, pruned and restored, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from meetops.core import audit, backup, checkpoints
from meetops.core.jobs import run_scheduled_backup
from meetops.meetings.models import Meeting


@pytest.fixture
def uploads(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.MEETOPS_BACKUP_DIR = tmp_path / "backups"
    (settings.MEDIA_ROOT / "agenda").mkdir(parents=True)
    return Path(settings.MEDIA_ROOT)


def _repack(source: Path, dest: Path, change: dict[str, bytes]) -> None:
    """Copy a backup, replacing (or adding) members, manifest untouched."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(dest, "w:gz") as new:
        for member in old.getmembers():
            extracted = old.extractfile(member)
            assert extracted is not None
            data = extracted.read()
            data = change.pop(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
        for name, data in change.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_brings_back_the_database_and_the_files_as_they_were(uploads, make_meeting):
    kept = make_meeting(title="备份前的会议")
    (uploads / "agenda" / "议程.pdf").write_bytes(b"%PDF-1.7 agenda")
    info = backup.create_backup()
    assert backup.verify_backup(info.path).ok
    assert info.file_count == 1 and info.engine in ("sqlite", "postgresql")

    # What happens after the backup is lost by the restore, and kept aside.
    make_meeting(title="备份后的会议")
    Meeting.objects.filter(pk=kept.pk).update(title="改过的标题")
    (uploads / "agenda" / "议程.pdf").unlink()
    (uploads / "agenda" / "later.txt").write_text("later")
    checkpoints.write_checkpoint()  # signs the later entries the restore will take away
    assert "audit-checkpoint.json" in backup.read_manifest(info.path)["members"]

    backup.restore_backup(info.path)
    assert audit.verify()[1] == []  # the backup's own checkpoint came back with its database

    assert list(Meeting.objects.values_list("title", flat=True)) == ["备份前的会议"]
    assert (uploads / "agenda" / "议程.pdf").read_bytes() == b"%PDF-1.7 agenda"
    assert not (uploads / "agenda" / "later.txt").exists()
    aside = [p for p in uploads.parent.iterdir() if p.name.startswith("uploads.before-restore-")]
    assert len(aside) == 1 and (aside[0] / "agenda" / "later.txt").read_text() == "later"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_verify_finds_a_changed_a_missing_and_a_smuggled_member(uploads, tmp_path):
    (uploads / "agenda" / "a.txt").write_text("original")
    info = backup.create_backup()

    changed = tmp_path / "changed.tar.gz"
    _repack(info.path, changed, {"uploads/agenda/a.txt": b"tampered"})
    with translation.override("zh-hans"):
        problems = backup.verify_backup(changed).problems
    assert problems == ["uploads/agenda/a.txt 与校验和不符。"]
    with translation.override("en"):
        assert backup.verify_backup(changed).problems == [
            "uploads/agenda/a.txt does not match its checksum."
        ]

    smuggled = tmp_path / "smuggled.tar.gz"
    _repack(info.path, smuggled, {"uploads/extra.txt": b"x"})
    with translation.override("zh-hant"):
        assert backup.verify_backup(smuggled).problems == ["uploads/extra.txt 不在清單中。"]

    not_a_backup = tmp_path / f"{backup.PREFIX}x{backup.SUFFIX}"
    not_a_backup.write_bytes(b"no")
    assert not backup.verify_backup(not_a_backup).ok
    with pytest.raises(backup.BackupError):
        backup.restore_backup(changed)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_doctored_archive_cannot_write_outside_the_restore_directory(uploads, tmp_path):
    info = backup.create_backup()
    evil = tmp_path / "evil.tar.gz"
    _repack(info.path, evil, {"../../escaped.txt": b"x"})
    result = backup.verify_backup(evil)
    assert not result.ok
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not (tmp_path / "escaped.txt").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_backup_of_the_other_database_engine(uploads, tmp_path):
    info = backup.create_backup()
    other = "postgresql" if info.engine == "sqlite" else "sqlite"
    manifest = dict(info.manifest, engine=other)
    foreign = tmp_path / "foreign.tar.gz"
    _repack(info.path, foreign, {backup.MANIFEST: json.dumps(manifest).encode()})
    with pytest.raises(backup.BackupError) as exc:
        backup.restore_backup(foreign)
    assert other in exc.value.message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scheduled_backup_writes_verifies_and_keeps_the_newest(uploads, settings):
    settings.MEETOPS_BACKUP_KEEP = 2
    names = [run_scheduled_backup() for _ in range(3)]
    listed = [b.name for b in backup.list_backups()]
    assert listed == sorted(names, reverse=True)[:2]
    assert all(backup.verify_backup(b.path).ok for b in backup.list_backups())


def test_prune_keeps_the_newest_by_time_and_refuses_to_delete_all(tmp_path, db):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(4):
        stamp = start + timedelta(days=day)
        (tmp_path / f"{backup.PREFIX}{stamp:%Y%m%dT%H%M%S%fZ}{backup.SUFFIX}").write_bytes(b"")
    removed = backup.prune_backups(keep=3, directory=tmp_path)
    assert [p.name for p in removed] == [f"{backup.PREFIX}20261101T000000000000Z{backup.SUFFIX}"]
    with pytest.raises(backup.BackupError):
        backup.prune_backups(keep=0, directory=tmp_path)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cli_creates_lists_and_verifies(uploads, tmp_path, meetops_cli):
    code, out, _err = meetops_cli("backup", "create", "--dir", str(tmp_path / "b"))
    assert code == 0 and "verified" in out
    code, out, _err = meetops_cli("backup", "list", "--dir", str(tmp_path / "b"))
    assert code == 0 and out.count(backup.PREFIX) == 1 and "1 backups" in out
    made = next((tmp_path / "b").iterdir())
    code, out, _err = meetops_cli("backup", "verify", str(made))
    assert code == 0 and "OK" in out
    broken = tmp_path / "broken.tar.gz"
    _repack(made, broken, {backup.SQLITE_MEMBER: b"x", backup.PG_MEMBER: b"x"})
    with translation.override("zh-hans"):
        code, _out, err = meetops_cli("backup", "verify", str(broken))
    assert code != 0 and "与校验和不符" in err


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backups_page_is_for_administrators_and_backs_up_on_request(
    client, admin_user, organiser, uploads
):
    client.force_login(organiser)
    assert client.get(reverse("backups")).status_code == 403
    assert client.post(reverse("backups")).status_code == 403
    assert backup.list_backups() == []

    client.force_login(admin_user)
    page = client.get(reverse("backups"), HTTP_ACCEPT_LANGUAGE="en")
    assert "No backups yet." in page.content.decode()
    response = client.post(reverse("backups"), follow=True)
    [made] = backup.list_backups()
    body = response.content.decode()
    assert made.name in body  # in the flash message and in the list
    assert body.count(made.name) == 2
