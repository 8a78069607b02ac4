"""deploy/entrypoint.sh and deploy/healthcheck.py: what a container of the image runs.

The entry point is run here with a stand-in `meetops` first on PATH that prints the
arguments it was given, so each role is seen to start the command it should.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"


def run_entrypoint(tmp_path: Path, *args: str, **env: str) -> list[str]:
    fake = tmp_path / "meetops"
    fake.write_text('#!/bin/sh\necho "meetops $*"\n', encoding="utf-8")
    fake.chmod(0o755)
    result = subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        env={"PATH": f"{tmp_path}:/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "ran"),
    [
        ((), ["meetops serve"]),
        (("web", "--workers", "4"), ["meetops serve --workers 4"]),
        (("worker",), ["meetops worker --no-jobs"]),
        (("worker", "--burst"), ["meetops worker --no-jobs --burst"]),
        (("scheduler",), ["meetops scheduler"]),
        (("meetops", "backup", "create"), ["meetops backup create"]),
    ],
)
def test_each_role_starts_its_command(tmp_path, args, ran):
    assert run_entrypoint(tmp_path, *args) == ran


def test_web_migrates_first_when_asked(tmp_path):
    ran = run_entrypoint(tmp_path, "web", MEETOPS_MIGRATE="1")
    assert ran == ["meetops migrate --no-input", "meetops serve"]


class Health(http.server.BaseHTTPRequestHandler):
    status = 200
    https_only = False  # as MeetOps behind an https site URL: plain HTTP is redirected

    def do_GET(self) -> None:
        if self.https_only and self.headers.get("X-Forwarded-Proto") != "https":
            self.send_response(301)
            self.send_header("Location", "https://127.0.0.1/healthz")
        else:
            self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    Health.status = 200
    Health.https_only = False


def healthcheck(port: int, *args: str, **extra: str) -> int:
    env = {**os.environ, "PORT": str(port), **extra}
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK), *args], env=env, capture_output=True, check=False
    ).returncode


def test_the_web_health_check_follows_healthz(web):
    port = web.server_address[1]
    assert healthcheck(port, "web") == 0
    Health.status = 503  # /healthz says the database is unreachable
    assert healthcheck(port, "web") == 1


def test_the_web_health_check_says_it_came_over_tls_behind_an_https_site(web):
    port = web.server_address[1]
    Health.https_only = True
    assert healthcheck(port, "web", MEETOPS_SITE_URL="https://meetops.example.internal") == 0
    # Over plain HTTP to an https site the answer is a redirect, not the health.
    assert healthcheck(port, "web", MEETOPS_SITE_URL="http://meetops.example.internal") == 1


def test_the_web_health_check_fails_when_nothing_listens(web):
    port = web.server_address[1]
    web.shutdown()
    web.server_close()
    assert healthcheck(port, "web") == 1


def test_the_worker_health_check_asks_the_database(tmp_path):
    env = {**os.environ, "MEETOPS_DEBUG": "1", "MEETOPS_DATA_DIR": str(tmp_path)}
    ok = subprocess.run(
        [sys.executable, str(HEALTHCHECK), "worker"], env=env, capture_output=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    env["DATABASE_URL"] = "postgres://nobody:wrong@127.0.0.1:1/none"
    down = subprocess.run(
        [sys.executable, str(HEALTHCHECK), "worker"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert down.returncode == 1
    assert "unhealthy: database" in down.stderr
