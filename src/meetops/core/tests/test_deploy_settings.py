"""Deployment hardening read from the environment: `check --deploy` is clean behind an https
site URL, and the headers a browser gets (HSTS, CSP, nosniff, referrer, framing) are there.

Settings are read once per process, so each case starts a fresh Python with its own
environment, as a deployment would.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

PROBE = """
import json, sys
import django
from django.core.management import call_command
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
call_command("check", deploy=True, fail_level="WARNING")
setup_test_environment()
host = settings.ALLOWED_HOSTS[0]
response = Client(HTTP_HOST=host).get("/login/", secure=True, headers=json.loads(sys.argv[1]))
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "proxy": settings.SECURE_PROXY_SSL_HEADER,
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def _run(
    tmp_path: Path, headers: dict[str, str] | None = None, script: str = PROBE, **env: str
) -> Any:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MEETOPS_", "DJANGO_", "SECRET_KEY", "DATABASE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="meetops.config.settings",
        MEETOPS_DATA_DIR=str(tmp_path),
        MEETOPS_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        # A deployment seals its audit log with a key of its own (ADR 0011); without one
        # `check` warns (meetops.W011), as test_audit_seal shows.
        MEETOPS_AUDIT_KEY=secrets.token_urlsafe(50),
        **env,
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(headers or {})],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done


def test_check_deploy_is_clean_behind_https_and_headers_are_sent(tmp_path: Path) -> None:
    done = _run(tmp_path, MEETOPS_SITE_URL="https://meetings.example.org")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (1 silenced)." in done.stdout
    assert "WARNING" not in done.stdout + done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = dict(
        part.partition(" ")[::2] for part in headers["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert seen["cookies_secure"] == [True, True]
    assert seen["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_preload_and_the_proxy_header_are_configured_by_the_environment(tmp_path: Path) -> None:
    done = _run(
        tmp_path,
        MEETOPS_SITE_URL="https://meetings.example.org",
        MEETOPS_HSTS_PRELOAD="1",
        MEETOPS_PROXY_SSL_HEADER="X-Scheme",
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["headers"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert seen["proxy"] == ["HTTP_X_SCHEME", "https"]


def test_no_hsts_without_https(tmp_path: Path) -> None:
    """Over plain http HSTS would lock browsers out of the site: none is sent, and the
    deploy check says so (it is not a deployment behind https)."""
    done = _run(tmp_path, MEETOPS_SITE_URL="http://127.0.0.1:8000")
    assert done.returncode != 0
    assert "security.W004" in done.stderr  # no HSTS
    assert "security.W008" in done.stderr  # no https redirect


PROBES = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
call_command("migrate", verbosity=0)
setup_test_environment()
client = Client(HTTP_HOST="127.0.0.1")
seen = {}
for path in ("/healthz", "/readyz", "/metrics", "/login/"):
    response = client.get(path, headers={"Authorization": "Bearer probe-token"})
    seen[path] = [response.status_code, response.headers.get("Location", "")]
print(json.dumps(seen))
"""


def test_probes_answer_plain_http_behind_an_https_site_url(tmp_path: Path) -> None:
    """A load balancer or Prometheus asks the node itself over plain HTTP, with no TLS
    proxy's header: the probes answer it; every page is still sent to https."""
    done = _run(
        tmp_path,
        script=PROBES,
        MEETOPS_SITE_URL="https://meetings.example.org",
        MEETOPS_METRICS_TOKEN="probe-token",
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["/healthz"] == [200, ""]
    assert seen["/metrics"][0] == 200
    assert seen["/readyz"] == [200, ""]
    assert seen["/login/"] == [301, "https://127.0.0.1/login/"]
