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
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What the run starts that a fresh machine may lack (CI's .ci/run installs both).
MISSING = [
    need
    for present, need in (
        (glob.glob("/usr/lib/postgresql/*/bin/initdb"), "PostgreSQL's server binaries "
         "(/usr/lib/postgresql/*/bin; apt: postgresql)"),
        (shutil.which("redis-server"), "redis-server on PATH (apt: redis-server)"),
    )
    if not present
]  # fmt: skip


@pytest.mark.multinode
@pytest.mark.skipif(bool(MISSING), reason="needs " + " and ".join(MISSING))
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


# The verdict itself, on made-up observations: each broken promise is caught.


def _verdict(**changes: Any) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    import multinode  # bench/multinode.py; the path above makes it importable

    ledger = multinode.Ledger()
    ledger.signins["A1"] = [(201, 7), (200, 7)]
    ledger.bookings["room 1 at 9:00"] = [(201, 3), (409, None)]
    ledger.drops = [100.5]
    found: dict[str, Any] = {
        "signins": [7],
        "signed_in_twice": 0,
        "bookings": [3],
        "overlapping_bookings": 0,
        "outbox": {"<a@x>": "sent", "<b@x>": "unconfirmed", "<c@x>": "unconfirmed"},
        "every_message": ["<a@x>", "<b@x>", "<c@x>"],
        "job_slots": [
            {"job": "j", "slot": "s1", "worker": "h:1:x", "attempts": 1, "finished": True,
             "error": "", "running": False},
            {"job": "j", "slot": "s2", "worker": "h:9:x", "attempts": 1, "finished": False,
             "error": "", "running": False},
        ],
    }  # fmt: skip
    sink = ["<a@x>", "<b@x>"]
    for change in changes.values():
        change(ledger, found, sink)
    problems, _figures = multinode.judge(
        SimpleNamespace(mails=3, clients=6),
        ledger,
        found,
        sink,
        {"problems": [], "read": 0, "uploaded": 0},
        {"web": 100.0},
        9,  # the killed worker's pid: its unfinished slot s2 is allowed
    )
    return problems


def test_the_verdict_passes_what_keeps_the_promises() -> None:
    assert _verdict() == []


@pytest.mark.parametrize(
    "broken",
    [
        lambda ledger, found, sink: ledger.signins["A1"].append((201, 8)),
        lambda ledger, found, sink: found.update(signins=[]),  # acknowledged, not held
        lambda ledger, found, sink: found.update(signed_in_twice=1),
        lambda ledger, found, sink: ledger.bookings["room 1 at 9:00"].append((201, 4)),
        lambda ledger, found, sink: found.update(overlapping_bookings=1),
        lambda ledger, found, sink: sink.append("<a@x>"),  # a mail sent twice
        lambda ledger, found, sink: sink.append("<b@x>"),  # an unconfirmed one twice
        lambda ledger, found, sink: sink.append("<z@x>"),  # a mail the outbox never had
        lambda ledger, found, sink: found["outbox"].update({"<c@x>": "queued"}),
        lambda ledger, found, sink: found["job_slots"][0].update(finished=False),
        lambda ledger, found, sink: found["job_slots"][0].update(error="boom"),
        lambda ledger, found, sink: [s.update(attempts=2) for s in found["job_slots"]],
        lambda ledger, found, sink: ledger.server_errors.append(("signin", 500, "/x")),
        lambda ledger, found, sink: ledger.drops.append(30.0),  # long before the kill
    ],
)
def test_the_verdict_catches_each_broken_promise(broken: Any) -> None:
    assert _verdict(broken=broken) != []
