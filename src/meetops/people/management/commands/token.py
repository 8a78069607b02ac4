from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.people import services
from meetops.people.models import User


class Command(BaseCommand):
    help = (
        "Create a personal API token: `meetops token create USERNAME [--name NAME]` (printed once)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it")
        create.add_argument("username")
        create.add_argument("--name", default="cli")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {opts['username']}")
        _token, raw = services.create_api_token(user, actor=None, name=opts["name"])
        self.stdout.write(raw)
