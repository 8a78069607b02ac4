"""Moving the test database between migrations, for tests of a data migration.

Migrating one app backwards also unapplies every migration of other apps that depends on it
(risks 0005 depends on meetings 0007, for one). Migrating forwards to the app's own target
alone would leave those tables missing for every later test on the same worker, so a test
always ends with `migrate_to_latest()`.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def migrate_to_latest() -> None:
    """Applies every migration again; fails if any stays unapplied."""
    executor = MigrationExecutor(connection)
    leaves: Any = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)
    executor.loader.build_graph()
    unapplied = executor.migration_plan(leaves)
    assert unapplied == [], f"migrations left unapplied: {unapplied}"
