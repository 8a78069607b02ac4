"""Several nodes keep MeetOps's promises (issue 15): a small run of bench/multinode.py.

PostgreSQL, Redis, moto's S3 server, an SMTP sink, two web nodes behind a round-robin
proxy, two workers and a scheduler on loopback; a mixed load with racing sign-ins and
bookings, an invitation to 200 people and uploads; one web node and one worker killed
(SIGKILL) in the middle. The script checks the database, the sink and both nodes itself
and exits 1 on any broken promise; this test runs it small and reads its verdict.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(
        not glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        reason="needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin; apt: postgresql)",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="needs redis-server on PATH (apt: redis-server)",
    ),
]


def test_two_nodes_two_workers_and_a_scheduler_survive_a_crash_under_load() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "multinode.py"),
            *("--clients", "6", "--seconds", "4", "--chaos-seconds", "16"),
            *("--mails", "200", "--uploads", "20", "--codes", "300", "--races", "2"),
            *("--rooms", "4", "--bookings", "500", "--workers", "1", "--threads", "2"),
            *("--lease", "8", "--drain-seconds", "60"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-4000:]
    assert "PASSED: 0 problems" in done.stdout
    # The run did what it claims: the crash happened mid-load and the mail went out.
    assert "200 in the outbox" in done.stdout
    assert "read back from both nodes" in done.stdout
