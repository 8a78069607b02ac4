"""The `meetops` command: Django's management commands with MeetOps's own listed first.

meetops serve [--host --port]   production server (gunicorn)
meetops migrate                 create or update the database
meetops check                   before starting: settings, migrations, database, Redis, storage, mail
meetops demo                    load the demo organisation
meetops user create NAME --role organiser [--password ...]
meetops token create NAME       print a new API token
meetops audit verify            check the audit log's hash chains
meetops backup create           back up the database and uploaded files (verify, restore, prune)
"""

from __future__ import annotations

import os
import sys

OPERATOR_COMMANDS = [
    ("serve", "run MeetOps with a production server (gunicorn)"),
    ("migrate", "create or update the database schema"),
    ("check", "before starting: settings, pending migrations, services reachable (exit 1 if not)"),
    ("demo", "load a demo organisation with meetings in every stage"),
    ("user", "create users and set their roles (meetops user create --help)"),
    ("token", "create or revoke personal API tokens"),
    ("audit", "verify the audit log (meetops audit verify)"),
    ("worker", "send queued notifications and run periodic jobs (--burst: once, then exit)"),
    ("scheduler", "run only the periodic jobs (with `meetops worker --no-jobs` elsewhere)"),
    ("venues", "room housekeeping (meetops venues release-no-shows)"),
    (
        "backup",
        "back up, verify, restore and prune (meetops backup create | list | verify | restore)",
    ),
    ("outbox", "list unconfirmed messages, send them again (meetops outbox unconfirmed --resend)"),
    ("records", "archive housekeeping (meetops records due: dossiers due for destruction)"),
    ("directory", "sync people from LDAP/AD and other providers (meetops directory sync ldap)"),
    ("search", "rebuild the full-text index of meetings and the archive (meetops search rebuild)"),
    ("names", "recompute the pinyin and stroke keys of every name (meetops names recompute)"),
    (
        "mail",
        "receive calendar replies (meetops mail listen --port 2525 [--lmtp] | mail poll)",
    ),
]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetops.config.settings")
    if not argv or (argv[0] in ("-h", "--help", "help") and len(argv) == 1):
        print(__doc__.strip().splitlines()[0])
        print("\nOperator commands:")
        for name, text in OPERATOR_COMMANDS:
            print(f"  {name:<10} {text}")
        print("\nEvery Django management command works too: `meetops help --commands` lists them.")
        return
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        django.setup()  # the audit context below imports models
    except ImproperlyConfigured as exc:
        sys.exit(f"meetops: {exc}")

    # After django.setup(): the audit context imports models.
    from meetops.core.audit import audit_context
    from meetops.core.models import AuditSource

    if argv[0] == "check":
        # The operator's check (core/preflight.py) runs Django's system checks and more;
        # Django's own `check` stays as it is for call_command and django-admin.
        argv[0] = "preflight"
    with audit_context(AuditSource.CLI):
        execute_from_command_line(["meetops", *argv])


if __name__ == "__main__":
    main()
