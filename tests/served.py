"""Helpers for tests that start a real `meetops serve` and use it as a person would."""

from __future__ import annotations

import http.cookiejar
import io
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, log: Path) -> None:
    """Until /healthz answers 200 (30 s at most); the server's log is the failure message."""
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    pytest.fail("server did not come up: " + log.read_text())


def log_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """A browser (cookies kept) signed in through the login form; fails if it did not land."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(f"{base}/login/").read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"}
    )
    with browser.open(request) as response:
        assert response.status == 200 and response.url == f"{base}/"
    assert any(c.name == "sessionid" for c in jar)
    return browser


def embedded_fonts(pdf: bytes) -> set[str]:
    """The PDF's fonts by name, without subset prefix or hyphens: {'NotoSerifSC', ...}."""
    from pypdf import PdfReader

    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1].replace("-", "")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
