"""`meetops outbox unconfirmed [--meeting ID] [--resend]`: list (and send again) unconfirmed messages."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meetops.notifications import unconfirmed
from meetops.notifications.models import OutboxMessage, Status


class Command(BaseCommand):
    help = "The outbox: list unconfirmed messages, and send them again (audited, source cli)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser(
            "unconfirmed",
            help="messages handed over with no confirmation (they may not have arrived)",
        )
        listing.add_argument("--meeting", type=int, default=None, help="only this meeting's")
        listing.add_argument(
            "--resend", action="store_true", help="queue them again (same Message-ID)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        qs = OutboxMessage.objects.filter(status=Status.UNCONFIRMED).select_related(
            "meeting", "user", "robot", "webhook"
        )
        if opts["meeting"]:
            qs = qs.filter(meeting_id=opts["meeting"])
        for m in qs.order_by("id"):
            when = f"{m.handed_over_at:%Y-%m-%d %H:%M:%S}" if m.handed_over_at else "-"
            self.stdout.write(
                f"{m.pk}\t{when}\t{m.channel}\t{m.recipient_label}\t{m.subject}\t{m.message_id}"
            )
        if opts["resend"]:
            # The operator at the command line: no user, the audit entry says source cli.
            count = unconfirmed.resend_all(qs, actor=None)
            self.stdout.write(self.style.SUCCESS(f"{count} queued again"))
        else:
            self.stdout.write(f"{qs.count()} unconfirmed")
