"""Notification speed: how fast the worker empties the outbox into a local SMTP server.

    .venv/bin/python bench/notifications.py [--mails 1000] [--workers 1] [--database-url URL]

Starts a real SMTP server (aiosmtpd, its own process), queues N e-mails with
`enqueue_emails` (timed: the "inviting queues N mails" half), then runs N
`meetops worker --burst` processes side by side and times them until every
mail arrived. Prints mails per second. Uses a fresh SQLite database in a temp
directory unless --database-url is given (that database is migrated and its
outbox emptied first: use a scratch database).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMTP_SERVER = r"""
import asyncio, sys
from aiosmtpd.controller import Controller
class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        if Count.n % 100 == 0 or Count.n == int(sys.argv[2]):
            print(Count.n, flush=True)
        return "250 OK"
c = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
import time
while True:
    time.sleep(3600)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="meetops-bench-")
    port = free_port()
    env = {
        **os.environ,
        "MEETOPS_DEBUG": "1",
        "MEETOPS_DATA_DIR": data_dir,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "MEETOPS_LOG_LEVEL": "WARNING",
        "DATABASE_URL": args.database_url or f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}",
    }
    os.environ.update(env)
    meetops = [sys.executable, "-m", "meetops.cli"]
    subprocess.run([*meetops, "migrate", "-v0"], env=env, check=True)

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "meetops.config.settings"
    django.setup()
    from django.db import transaction

    from meetops.notifications.models import OutboxMessage
    from meetops.notifications.services import enqueue_emails

    OutboxMessage.objects.all().delete()
    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER, str(port), str(args.mails)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)
        body = "您好，\n\n请于3月5日09:00到第一会议室参加党委会（第5次）。\n" * 5
        t0 = time.perf_counter()
        with transaction.atomic():
            enqueue_emails(
                {
                    "to": f"p{i}@example.org",
                    "subject": f"会议通知 {i}",
                    "text": body,
                    "html": f"<p>{body}</p>",
                    "dedupe_key": f"bench:{i}",
                }
                for i in range(args.mails)
            )
        queued = time.perf_counter() - t0
        print(f"queued {args.mails} mails in {queued:.2f} s ({args.mails / queued:.0f}/s)")

        t0 = time.perf_counter()
        workers = [
            subprocess.Popen(
                [*meetops, "worker", "--burst", "--batch", "100"],
                env=env,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        for w in workers:
            w.wait()
        elapsed = time.perf_counter() - t0
        sent = OutboxMessage.objects.filter(status="sent").count()
        print(
            f"{args.workers} worker(s) sent {sent} mails in {elapsed:.2f} s "
            f"({sent / elapsed:.0f} mails/s, including process start-up)"
        )
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
