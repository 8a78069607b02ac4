from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetops.core.errors import DomainError
from meetops.people import services
from meetops.people.models import Role, User


class Command(BaseCommand):
    help = "Manage users: `meetops user create USERNAME --role ROLE [--password P]`, `meetops user roles USERNAME ROLE...`."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument(
            "--role", action="append", choices=Role.values, help="repeatable; default member"
        )
        create.add_argument("--password", help="omit to be asked; '-' for no password (token only)")
        create.add_argument("--email", default="")
        create.add_argument("--name", default="", help="display name")
        roles = sub.add_parser("roles", help="replace a user's roles")
        roles.add_argument("username")
        roles.add_argument("roles", nargs="+", choices=Role.values)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "create":
                password = opts["password"]
                if password is None:
                    password = getpass.getpass("Password: ")
                user = services.create_user(
                    username=opts["username"],
                    actor=None,
                    password=None if password == "-" else password,  # noqa: S105
                    roles=opts["role"] or [Role.MEMBER],
                    email=opts["email"],
                    display_name=opts["name"],
                )
                self.stdout.write(f"created {user.username} ({', '.join(sorted(user.role_codes))})")
            else:
                found = User.objects.filter(username=opts["username"]).first()
                if found is None:
                    raise CommandError(f"no user {opts['username']}")
                services.set_roles(found, roles=opts["roles"], actor=None)
                self.stdout.write(f"{found.username}: {', '.join(sorted(opts['roles']))}")
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
