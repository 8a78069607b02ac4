"""`meetops mail listen --host --port [--lmtp]` and `meetops mail poll [--every S]`:
receive attendees' calendar replies (iMIP REPLY) at MEETOPS_MAIL_REPLY_ADDRESS (ADR 0020)."""

from __future__ import annotations

import imaplib
import signal
import threading
import time
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from meetops.invitations.inbound import ImapSettings, ReplyController, poll_imap, reply_mailbox


class Command(BaseCommand):
    help = "Receive calendar replies: an SMTP/LMTP listener, or a poll of an IMAP mailbox."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listen = sub.add_parser("listen", help="run an SMTP (or LMTP) server for the reply address")
        listen.add_argument("--host", default="127.0.0.1")
        listen.add_argument("--port", type=int, default=2525)
        listen.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")
        poll = sub.add_parser(
            "poll", help="read unseen mail from the IMAP folder (MEETOPS_MAIL_IMAP_*)"
        )
        poll.add_argument(
            "--every", type=int, default=0, help="poll again every N seconds (0: once, then exit)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if reply_mailbox() == ("", ""):
            raise CommandError(
                "Set MEETOPS_MAIL_REPLY_ADDRESS (e.g. rsvp@meetops.example.org) first."
            )
        if opts["action"] == "listen":
            self._listen(opts["host"], opts["port"], lmtp=opts["lmtp"])
        else:
            self._poll(opts["every"])

    def _listen(self, host: str, port: int, *, lmtp: bool) -> None:
        controller = ReplyController(host=host, port=port, lmtp=lmtp)
        controller.start()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write(
            f"receiving calendar replies for {settings.MEETOPS_MAIL_REPLY_ADDRESS} "
            f"({'LMTP' if lmtp else 'SMTP'} on {host}:{port})"
        )
        self.stdout.flush()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()

    def _poll(self, every: int) -> None:
        config = ImapSettings.from_settings()
        if not config.host:
            raise CommandError("Set MEETOPS_MAIL_IMAP_HOST (and _USER, _PASSWORD) first.")
        while True:
            try:
                results = poll_imap(config)
            except (imaplib.IMAP4.error, OSError) as exc:
                if not every:
                    raise CommandError(f"IMAP: {exc}") from exc
                self.stderr.write(f"IMAP: {exc}")
            else:
                counts = Counter(r.outcome for r in results)
                summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing new"
                self.stdout.write(summary)
            if not every:
                return
            time.sleep(every)
            # Between polls: drop a connection the database closed meanwhile.
            close_old_connections()
