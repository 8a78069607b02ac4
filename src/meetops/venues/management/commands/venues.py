"""`meetops venues release-no-shows`: release bookings nobody checked in (run it every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meetops.venues.services.booking import release_no_shows


class Command(BaseCommand):
    help = "Room booking chores: release-no-shows"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "release-no-shows",
            help="release confirmed bookings nobody checked in within the room's grace period",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "release-no-shows":
            released = release_no_shows()
            for booking in released:
                self.stdout.write(
                    f"released booking {booking.pk} ({booking.room}, {booking.start:%Y-%m-%d %H:%M})"
                )
            self.stdout.write(self.style.SUCCESS(f"{len(released)} released"))
