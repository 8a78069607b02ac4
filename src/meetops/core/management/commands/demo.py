from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.core.demo import DEMO_LOGINS, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo organisation (departments, people, contacts, meetings in every stage, "
        "in Chinese) into an empty database. `--if-empty` does nothing when people exist."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) if the database has users",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if demo_is_loaded():
            if opts["if_empty"]:
                self.stdout.write("The database already has people; the demo was not loaded.")
                return
            raise CommandError(
                "The database already has people; the demo loads into an empty database only."
            )
        began = time.monotonic()
        ctx = load_demo(stdout=self.stdout)
        for line in ctx.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded in {time.monotonic() - began:.1f} s. ")
            + f"Log in as {', '.join(u for u, _ in DEMO_LOGINS['users'])} "
            + f"with the password {DEMO_LOGINS['password']}."
        )
