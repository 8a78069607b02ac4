"""The suite's own teardown on PostgreSQL: a session left on the test database does not stop the drop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import psycopg
import pytest
from django.db import connection

LEFT_OPEN = []


@pytest.mark.django_db
def test_leaves_a_session_on_the_test_database():
    s = connection.settings_dict
    LEFT_OPEN.append(
        psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=s["NAME"])
    )
"""


@pytest.mark.server
@pytest.mark.django_db
def test_stray_session_is_ended_before_the_test_database_is_dropped(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL refuses to drop a database others are using; SQLite has no sessions"
        )
    s = connection.settings_dict
    base = f"{s['NAME']}_stray"  # its test database: test_<base>, apart from this run's
    (tmp_path / "test_probe.py").write_text(PROBE)
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")  # the fixtures under test
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{base}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "1 passed" in out
    assert "Error when trying to teardown test databases" not in out
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [f"test_{base}"])
        assert cursor.fetchone()[0] == 0
