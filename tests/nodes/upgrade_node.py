"""Upgrade a database made by the previous release to this one (tests/test_upgrade.py).

    DATABASE_URL=... python tests/nodes/upgrade_node.py FIXTURE.json.gz

On the empty database DATABASE_URL names: migrate each app to exactly the migrations the
old release had applied, load the old release's data through the *historical* models of
that state (this release's models may have columns the old tables lack), then `migrate`
to this release, verify the audit log, and print a JSON summary on the last line.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from typing import Any

import django


def migrate_to(migrations: list[list[str]]) -> None:
    from django.core.management import call_command

    last: dict[str, str] = {}
    for app, name in migrations:
        last[app] = max(last.get(app, ""), name)
    for app, name in sorted(last.items()):
        call_command("migrate", app, name, verbosity=0)


def applied() -> set[tuple[str, str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return set(MigrationRecorder.Migration.objects.values_list("app", "name"))


def load(objects: list[dict[str, Any]]) -> int:
    """Insert the rows as they were, with the models of the migrated state (raw, no signals)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    state_apps = executor.loader.project_state(list(applied())).apps
    models = set()
    many: list[tuple[Any, Any, str, list[Any]]] = []
    with connection.constraint_checks_disabled(), transaction.atomic():
        for obj in objects:
            model = state_apps.get_model(obj["model"])
            models.add(model)
            values: dict[str, Any] = {}
            for name, value in obj["fields"].items():
                field = model._meta.get_field(name)
                if field.many_to_many:
                    many.append((model, obj["pk"], name, value))
                elif field.is_relation:
                    values[field.attname] = value
                else:
                    values[name] = field.to_python(value)
            # Rows the migrations made (meeting kinds, the process) are there already: as loaddata.
            model(pk=obj["pk"], **values).save_base(raw=True)
        for model, pk, name, ids in many:
            getattr(model._base_manager.get(pk=pk), name).set(ids)
        connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)
    return len(objects)


def main() -> None:
    django.setup()
    from django.core.management import call_command

    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
        fixture = json.load(f)
    recorded = {tuple(m) for m in fixture["migrations"]}
    migrate_to(fixture["migrations"])
    at_release = applied()
    loaded = load(fixture["data"])
    call_command("migrate", verbosity=0)
    after = applied()

    from io import StringIO

    from meetops.core.models import AuditEntry
    from meetops.meetings.models import Meeting
    from meetops.notifications.models import OutboxMessage

    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=out)
        verified = True
    except SystemExit as exc:
        verified = not exc.code
    except Exception as exc:  # a CommandError: the log did not verify
        out.write(str(exc))
        verified = False
    lanes: dict[str, int] = defaultdict(int)
    for lane in OutboxMessage.objects.values_list("lane", flat=True):
        lanes[lane] += 1
    print(
        json.dumps(
            {
                "release": fixture["release"],
                "missing_at_release": sorted(map(list, recorded - at_release)),
                "extra_at_release": sorted(map(list, at_release - recorded)),
                "new_migrations": sorted(map(list, after - at_release)),
                "loaded": loaded,
                "meetings": Meeting.objects.count(),
                "titles": sorted(Meeting.objects.values_list("title", flat=True)),
                "audit_entries": AuditEntry.objects.count(),
                "audit_verified": verified,
                "audit_output": out.getvalue()[-2000:],
                "outbox_lanes": dict(lanes),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
