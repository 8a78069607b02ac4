"""No double booking under fire: 50 concurrent conflicting requests at a real `meetops serve`.

Runs against a file SQLite database always, and against PostgreSQL when
DATABASE_URL points at one. Exactly one request wins; 49 get 409
`booking_conflict`; exactly one booking row exists.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.server

N = 50
MEETOPS = str(Path(sys.executable).with_name("meetops"))

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from meetops.meetings.models import MeetingKind
from meetops.meetings.services import create_meeting
from meetops.people.services import create_api_token, create_user
from meetops.venues.services.rooms import create_room
org = create_user(username="racer", actor=None, roles=["organiser"])
start = (timezone.now() + timedelta(days=10)).replace(hour=2, minute=0, second=0, microsecond=0)
meeting = create_meeting(actor=org, title="race", kind=MeetingKind.objects.get(code="regular"), start=start, end=start + timedelta(hours=1))
room = create_room(actor=None, name="race room", capacity=10)
_t, token = create_api_token(org, actor=None)
print("SETUP" + json.dumps({"token": token, "meeting": meeting.pk, "room": room.pk, "start": start.isoformat()}))
"""

COUNT = """
from meetops.venues.models import Booking
print("COUNT%d" % Booking.objects.count())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [MEETOPS, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _postgres_db(url: str, name: str) -> str:
    import psycopg

    parts = urlparse(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def _databases() -> list[Any]:
    params = [pytest.param("sqlite", id="sqlite")]
    url = os.environ.get("DATABASE_URL", "")
    params.append(
        pytest.param(
            "postgres",
            id="postgres",
            marks=pytest.mark.skipif(
                not url.startswith("postgres"), reason="DATABASE_URL is not PostgreSQL"
            ),
        )
    )
    return params


@pytest.fixture(params=_databases())
def server_env(request: Any, tmp_path: Path) -> Any:
    """Environment for MeetOps processes on a fresh, migrated database of the given kind."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        MEETOPS_DEBUG="1",
        MEETOPS_TESTING="0",
        MEETOPS_DATA_DIR=str(tmp_path),
        MEETOPS_LOG_LEVEL="WARNING",
    )
    pg_name = f"meetops_race_{os.getpid()}"
    if request.param == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    else:
        env["DATABASE_URL"] = _postgres_db(os.environ["DATABASE_URL"], pg_name)
    _run(env, "migrate", "--no-input", "-v", "0")
    yield env
    if request.param == "postgres":
        import psycopg

        admin = urlparse(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def test_fifty_concurrent_conflicting_bookings_one_wins(server_env: dict[str, str]) -> None:
    env = server_env
    out = _run(env, "shell", "-c", SETUP)
    setup = json.loads(out.split("SETUP", 1)[1])

    port = _free_port()
    server = subprocess.Popen(
        [
            MEETOPS,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "3",
            "--threads",
            "8",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, (
                    server.stderr.read().decode()[-3000:] if server.stderr else ""
                )
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)

        from datetime import datetime, timedelta

        start = datetime.fromisoformat(setup["start"])
        body = json.dumps(
            {
                "room_id": setup["room"],
                "start": start.isoformat(),
                "end": (start + timedelta(hours=1)).isoformat(),
            }
        ).encode()
        barrier = threading.Barrier(N)
        results: list[tuple[int, str]] = []
        lock = threading.Lock()

        def fire(i: int) -> None:
            req = urllib.request.Request(
                f"{base}/api/v1/meetings/{setup['meeting']}/bookings",
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Bearer {setup['token']}",
                    "Content-Type": "application/json",
                },
            )
            barrier.wait()
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    status, payload = resp.status, resp.read().decode()
            except urllib.error.HTTPError as err:
                status, payload = err.code, err.read().decode()
            with lock:
                results.append((status, payload))

        threads = [threading.Thread(target=fire, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
    finally:
        server.terminate()
        server.wait(20)

    statuses = Counter(status for status, _ in results)
    assert statuses == Counter({201: 1, 409: N - 1}), [
        p for s, p in results if s not in (201, 409)
    ][:3]
    codes = {json.loads(p)["error"]["code"] for s, p in results if s == 409}
    assert codes == {"booking_conflict"}
    winner = next(json.loads(p) for s, p in results if s == 201)
    conflict = next(json.loads(p) for s, p in results if s == 409)["error"]["details"]
    assert conflict["booking_id"] == winner["id"] and conflict["start"] and conflict["end"]
    assert "COUNT1" in _run(env, "shell", "-c", COUNT)
