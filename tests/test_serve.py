"""What `make run` does, as a person would see it: migrate, load the demo, serve with gunicorn."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.served import embedded_fonts, free_port, log_in, wait_until_up

pytestmark = pytest.mark.server

MEETOPS = str(Path(sys.executable).with_name("meetops"))


@pytest.fixture
def served(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)  # make run is SQLite under MEETOPS_DATA_DIR
    env.update(MEETOPS_DEBUG="1", MEETOPS_DATA_DIR=str(tmp_path), MEETOPS_WORKERS="2")
    for argv in (["migrate", "--no-input"], ["demo", "--if-empty"]):
        subprocess.run([MEETOPS, *argv], env=env, check=True, capture_output=True, timeout=180)
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [MEETOPS, "serve", "--port", str(port), "--announce"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, tmp_path / "serve.log")
        yield base, tmp_path / "serve.log", env
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_serve_announces_url_and_demo_logins_and_serves_the_demo(served):
    base, log_path, env = served
    announced = log_path.read_text()
    assert f"MeetOps is running at {base}/" in announced
    assert "password for all: meetops-demo" in announced
    assert re.search(r"^\s+wangfang\s+organiser", announced, re.M)
    assert "gunicorn" in announced

    # A person logs in with a demo account and sees the dashboard.
    browser = log_in(base, "wangfang", "meetops-demo")

    # A tool uses a token made at the command line.
    token = subprocess.run(
        [MEETOPS, "token", "create", "admin"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    api = urllib.request.Request(
        f"{base}/api/v1/meetings?limit=100", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(api) as response:
        body = json.load(response)
    assert body["count"] >= 12
    assert {m["stage"] for m in body["items"]} >= {
        "draft",
        "preparing",
        "ready",
        "in_progress",
        "closed",
    }

    # The minutes (纪要) of a closed demo meeting, as the organiser downloads them: the
    # Chinese is drawn with MeetOps's own faces, whatever fonts this machine has.
    closed = next(m for m in body["items"] if m["stage"] == "closed")
    with browser.open(f"{base}/meetings/{closed['id']}/minutes.pdf") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        fonts = embedded_fonts(response.read())
    assert fonts & {"NotoSerifSC", "NotoSansSCBold"}, fonts
    assert ".notdef" not in log_path.read_text()
