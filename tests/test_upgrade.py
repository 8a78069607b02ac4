"""Upgrading from the previous release: its database, with the demo's data, migrates to this
release on SQLite and PostgreSQL (whichever the suite runs on) and keeps what it held.

The fixture (tests/fixtures/upgrade/<release>.json.gz) holds the migrations the previous
release had applied and its data as portable JSON; scripts/make_upgrade_fixture.py makes it.
tests/nodes/upgrade_node.py does the upgrade in a fresh process on a fresh database.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "upgrade").glob("*.json.gz"))
NODE = ROOT / "tests" / "nodes" / "upgrade_node.py"

pytestmark = pytest.mark.server


@contextlib.contextmanager
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the kind the suite runs on, dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    import psycopg

    name = f"meetops_upgrade_{uuid.uuid4().hex[:8]}"
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER"),
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    try:
        yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name.split(".")[0] for f in FIXTURES])
def test_the_previous_release_migrates_to_this_one_with_its_data(
    fixture: Path, tmp_path: Path
) -> None:
    with gzip.open(fixture, "rt", encoding="utf-8") as f:
        old = json.load(f)
    old_titles = sorted(
        o["fields"]["title"] for o in old["data"] if o["model"] == "meetings.meeting"
    )
    old_entries = sum(1 for o in old["data"] if o["model"] == "core.auditentry")
    old_messages = sum(1 for o in old["data"] if o["model"] == "notifications.outboxmessage")
    with fresh_database(tmp_path) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEETOPS_")}
        env.update(
            DATABASE_URL=url,
            MEETOPS_TESTING="1",
            MEETOPS_DATA_DIR=str(tmp_path),
            REDIS_URL="",
            EMAIL_URL="consolemail://",
            PYTHONPATH=str(ROOT),
        )
        done = subprocess.run(
            [sys.executable, str(NODE), str(fixture)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-5000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # The database was exactly the old release's before the upgrade...
    assert result["missing_at_release"] == [] and result["extra_at_release"] == []
    # ...this release's migrations ran on it...
    assert ["core", "0005_jobslot"] in result["new_migrations"]
    assert ["notifications", "0004_outbox_lane"] in result["new_migrations"]
    # ...and what it held is all there, the audit log's seals included.
    assert result["loaded"] == len(old["data"])
    assert old_titles and result["titles"] == old_titles
    assert result["audit_entries"] == old_entries > 0
    assert result["audit_verified"], result["audit_output"]
    # Messages queued before lanes existed are urgent: none waits behind a backlog it never joined.
    assert result["outbox_lanes"] == ({"urgent": old_messages} if old_messages else {})
