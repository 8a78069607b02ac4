"""The ambiguous window: how long a message's sent marker is irrevocable before its final "." is written.

    .venv/bin/python bench/outbox_window.py [--mails 500] [--database-url URL]

A worker killed inside this window leaves a message marked as handed over that
never reached the mail server (docs/adr/0008-delivery-guarantee.md). The script
sends N mails to a real SMTP server (aiosmtpd, in a thread) with the real worker
code, once with the marker committed synchronously and (PostgreSQL only) once
with its COMMIT pipelined, and times per message:

- window: from the moment the marker can no longer be undone to the "." being
  written. Synchronous: from sending the autocommit UPDATE (the server commits
  it even if the client dies right after) to the ".". Pipelined: from the
  UPDATE's answer inside BEGIN (an upper bound: COMMIT is written after the row
  count check) to the ".".
- answer→dot: from the database's answer to the marker UPDATE to the ".".
- marked→dot: from the marker function's return to the "." (pipelined: COMMIT
  is already written then, so this is the pure client-side gap: two socket
  writes and the code between them).

Uses a fresh SQLite database in a temp directory unless --database-url is
given (that database is migrated and its outbox emptied: use a scratch one).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from notifications import SMTP_SERVER, free_port  # bench/notifications.py


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="meetops-window-")
    port = free_port()
    env = {
        "MEETOPS_DEBUG": "1",
        "MEETOPS_DATA_DIR": data_dir,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "MEETOPS_LOG_LEVEL": "WARNING",
        "MEETOPS_EMBEDDED_WORKER": "0",
        "REDIS_URL": "",
        "DATABASE_URL": args.database_url or f"sqlite:///{Path(data_dir) / 'window.sqlite3'}",
    }
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "-m", "meetops.cli", "migrate", "-v0"], env=os.environ, check=True
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "meetops.config.settings"
    import django

    django.setup()
    from django.db import connection, transaction

    # Its own process: a server thread in this one would take the GIL during our writes.
    from meetops.notifications.models import OutboxMessage
    from meetops.notifications.services import enqueue_emails
    from meetops.notifications.worker import Worker

    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER, str(port), "0"], stdout=subprocess.DEVNULL
    )
    time.sleep(1.0)

    marks: dict[str, list[float]] = {"sent": [], "ack": [], "marked": [], "dot": []}
    from meetops.notifications import handover

    plain_mark = handover.mark

    def mark(*a: object, **kw: object) -> object:
        settle = plain_mark(*a, **kw)  # pipelined: COMMIT is written when this returns
        marks["marked"].append(time.perf_counter())
        return settle

    handover.mark = mark  # type: ignore[assignment]

    def timing(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        marker = sql.startswith("UPDATE") and "handed_over_at" in sql and params[0] is not None
        if marker:
            marks["sent"].append(time.perf_counter())
        result = execute(sql, params, many, context)
        if marker:
            marks["ack"].append(time.perf_counter())
        return result

    plain_send = smtplib.SMTP.send

    def send(self: smtplib.SMTP, s: bytes | str) -> None:
        if s == b".\r\n":  # the moment the "." goes to the kernel (one sendall follows)
            marks["dot"].append(time.perf_counter())
        plain_send(self, s)

    smtplib.SMTP.send = send  # type: ignore[method-assign]
    modes = [False, True] if connection.vendor == "postgresql" else [False]
    rows = []
    try:
        for pipelined in modes:
            OutboxMessage.objects.all().delete()
            with transaction.atomic():
                enqueue_emails(
                    {"to": f"p{i}@example.org", "subject": f"会议通知 {i}", "text": "正文\n" * 20}
                    for i in range(args.mails)
                )
            for v in marks.values():
                v.clear()
            worker = Worker(name="window", batch_size=100)
            worker.pipelined_commit = pipelined
            t0 = time.perf_counter()
            with connection.execute_wrapper(timing):
                while worker.run_once(with_jobs=False).handled:
                    pass
            elapsed = time.perf_counter() - t0
            assert len(marks["dot"]) == len(marks["sent"]) == args.mails, {
                k: len(v) for k, v in marks.items()
            }
            window = [(d - s) * 1e6 for s, d in zip(marks["sent"], marks["dot"], strict=True)]
            if pipelined:  # the irrevocable point is the COMMIT, written after the UPDATE's answer
                window = [(d - a) * 1e6 for a, d in zip(marks["ack"], marks["dot"], strict=True)]
            ack = [(d - a) * 1e6 for a, d in zip(marks["ack"], marks["dot"], strict=True)]
            tail = [(d - m) * 1e6 for m, d in zip(marks["marked"], marks["dot"], strict=True)]
            rows.append(
                (
                    connection.vendor,
                    "pipelined COMMIT" if pipelined else "synchronous",
                    statistics.median(window),
                    sorted(window)[int(len(window) * 0.95)],
                    max(window),
                    statistics.median(ack),
                    statistics.median(tail),
                    args.mails / elapsed,
                )
            )
    finally:
        handover.mark = plain_mark  # type: ignore[assignment]
        smtplib.SMTP.send = plain_send  # type: ignore[method-assign]
        server.terminate()
    print(
        "| database | marker | window p50 µs | p95 µs | max µs | answer→dot p50 µs "
        "| marked→dot p50 µs | mails/s (in process) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for vendor, mode, p50, p95, top, ack50, tail50, rate in rows:
        print(
            f"| {vendor} | {mode} | {p50:.0f} | {p95:.0f} | {top:.0f} | {ack50:.0f} "
            f"| {tail50:.0f} | {rate:.0f} |"
        )


if __name__ == "__main__":
    main()
