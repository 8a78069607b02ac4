"""`/metrics` from a real `meetops serve` with two gunicorn processes: whichever process answers
the scrape, it counts every process's requests (prometheus_client multiprocess mode); and the
server's log lines are JSON carrying the request's id."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

MEETOPS = str(Path(sys.executable).with_name("meetops"))
TOKEN = "metrics-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _healthz_count(base: str) -> float:
    status, text = _get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200, text
    prefix = 'meetops_http_requests_total{method="GET",status="200",view="healthz"} '
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(prefix))


def test_two_server_processes_are_counted_together_and_log_json(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(
        MEETOPS_DEBUG="1",
        MEETOPS_DATA_DIR=str(tmp_path),
        MEETOPS_WORKERS="2",
        MEETOPS_THREADS="1",
        MEETOPS_METRICS_TOKEN=TOKEN,
        MEETOPS_LOG_FORMAT="json",
        MEETOPS_EMBEDDED_WORKER="0",
    )
    subprocess.run([MEETOPS, "migrate", "--no-input"], env=env, check=True, timeout=600)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with log_path.open("w+") as log:
        server = subprocess.Popen(
            [MEETOPS, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            for _ in range(600):
                try:
                    if _get(f"{base}/readyz")[0] == 200:
                        break
                except (urllib.error.URLError, ConnectionError):
                    pass
                time.sleep(0.1)
            else:
                pytest.fail("server did not come up: " + log_path.read_text())
            before = _healthz_count(base)
            for _ in range(40):
                assert _get(f"{base}/healthz")[0] == 200
            # Several scrapes, answered by either process: each sees all 40.
            assert {_healthz_count(base) - before for _ in range(6)} == {40.0}
            assert _get(f"{base}/metrics", Authorization="Bearer wrong")[0] == 401
            assert _get(f"{base}/no-such-page/", **{"X-Request-ID": "trace-77"})[0] == 404
        finally:
            server.terminate()
            server.wait(timeout=30)
    records = []
    for line in log_path.read_text().splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    assert any(
        r.get("request_id") == "trace-77" and r["logger"] == "django.request" for r in records
    ), log_path.read_text()[-3000:]
    assert list((tmp_path / "metrics").glob("counter_*.db"))
