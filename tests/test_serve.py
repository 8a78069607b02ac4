"""What `make run` does, as a person would see it: migrate, load the demo, serve with gunicorn."""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

MEETOPS = str(Path(sys.executable).with_name("meetops"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)  # make run is SQLite under MEETOPS_DATA_DIR
    env.update(MEETOPS_DEBUG="1", MEETOPS_DATA_DIR=str(tmp_path), MEETOPS_WORKERS="2")
    for argv in (["migrate", "--no-input"], ["demo", "--if-empty"]):
        subprocess.run([MEETOPS, *argv], env=env, check=True, capture_output=True, timeout=180)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [MEETOPS, "serve", "--port", str(port), "--announce"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail("server did not come up: " + (tmp_path / "serve.log").read_text())
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
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(f"{base}/login/").read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": "wangfang", "password": "meetops-demo", "csrfmiddlewaretoken": csrf}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"}
    )
    with browser.open(request) as response:
        assert response.status == 200 and response.url == f"{base}/"
    assert any(c.name == "sessionid" for c in jar)

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
        pdf = response.read()
    assert _embedded_fonts(pdf) & {"NotoSerifSC", "NotoSansSCBold"}, _embedded_fonts(pdf)
    assert ".notdef" not in log_path.read_text()


def _embedded_fonts(pdf: bytes) -> set[str]:
    from pypdf import PdfReader

    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1].replace("-", "")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
