"""A test of a data migration leaves every migration applied (core/tests/migrating.py).

Migrating one app backwards unapplies the other apps' migrations that depend on it; a test
that then migrated forwards to its own target alone left tables missing for whatever ran
next on the same worker (the phone-layout browser tests lost risks_readinessrecord, and only
when the scheduler put them after the meetings 0007 test). So a test moves the database only
through `migrating.migrate` and ends with `migrating.migrate_to_latest()`, which fails if
anything stays unapplied. The source is read, nothing is imported.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "meetops"
HELPER = PACKAGE / "core" / "tests" / "migrating.py"


def _test_files() -> list[Path]:
    return [p for p in PACKAGE.glob("*/tests/**/*.py") if p != HELPER]


def test_no_test_runs_the_migration_executor_itself() -> None:
    direct = [
        str(p.relative_to(PACKAGE)) for p in _test_files() if "MigrationExecutor" in p.read_text()
    ]
    assert direct == [], f"use meetops.core.tests.migrating instead: {direct}"


def test_every_test_that_migrates_backwards_migrates_to_the_latest_again() -> None:
    movers = [p for p in _test_files() if re.search(r"\bmigrating\b", p.read_text())]
    assert movers, "the data-migration tests moved or were renamed: update this test"
    forgetful = [
        str(p.relative_to(PACKAGE)) for p in movers if "migrate_to_latest()" not in p.read_text()
    ]
    assert forgetful == []
