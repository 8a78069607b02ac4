"""The image's health check: exit 0 when this container does its job, 1 when it does not.

A web container (a `meetops serve` process runs in it) must answer GET /healthz with 200,
which also proves its database answers. A worker or scheduler container has no port: its
database must answer. `healthcheck web|worker|scheduler` names the role instead of
looking at the processes.
"""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path


def serves_web() -> bool:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        if any(arg.endswith(b"meetops") for arg in argv) and b"serve" in argv:
            return True
    return False


def check_web() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    request = urllib.request.Request(url)
    if os.environ.get("MEETOPS_SITE_URL", "").startswith("https://"):
        # Behind an https site URL MeetOps redirects plain HTTP to HTTPS unless the TLS
        # proxy's header says the request came in over TLS: say it, as the proxy would.
        header = os.environ.get("MEETOPS_PROXY_SSL_HEADER", "X-Forwarded-Proto")
        if header:
            request.add_header(header, "https")
    try:
        with urllib.request.urlopen(request, timeout=8) as response:  # noqa: S310 - a fixed local http URL
            status = response.status
    except Exception as exc:  # refused, timed out, 503: all unhealthy
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    return 0 if status == 200 else 1


def check_database() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetops.config.settings")
    try:
        import django

        django.setup()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        print(f"unhealthy: database: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    role = argv[0] if argv else ("web" if serves_web() else "worker")
    return check_web() if role == "web" else check_database()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
