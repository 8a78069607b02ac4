"""Make the upgrade test's fixture from the previous release (tests/test_upgrade.py).

At each release, before changing the schema: check out the release being replaced and
run this script with the current checkout's Python (the same dependencies), e.g.

    git worktree add /tmp/prev <previous release tag or commit>
    .venv/bin/python scripts/make_upgrade_fixture.py --source /tmp/prev --release <tag>
    git worktree remove /tmp/prev

It runs the previous release's code (PYTHONPATH=<source>/src) on a fresh SQLite
database: `migrate`, `demo`, then writes tests/fixtures/upgrade/<release>.json.gz with
the migrations that release had applied and its data as portable JSON (Django's
serialisation, datetimes to the microsecond: no SQL dialect, so the test loads it on
SQLite and PostgreSQL alike). Content types and
permissions are left out (migrate makes them), and so are sessions and the login log.
Uploaded files are not included: the fixture is the database only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]

DUMP = """
import json, sys
import django
django.setup()
from django.apps import apps
from django.core import serializers
from django.db.migrations.recorder import MigrationRecorder
excluded = sys.argv[1].split(",")
objects = []
for model in apps.get_models():
    meta = model._meta
    if meta.proxy or not meta.managed or meta.app_label in excluded or meta.label_lower in excluded:
        continue
    objects += serializers.serialize("python", model._base_manager.order_by("pk"))
def full(value):
    # Full precision: Django's JSON encoder cuts microseconds, and the audit seals cover them.
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
applied = sorted(MigrationRecorder.Migration.objects.values_list("app", "name"))
print(json.dumps({"migrations": applied, "data": objects}, default=full, ensure_ascii=False))
"""


def run(source: Path, data_dir: Path, *args: str, capture: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        PYTHONPATH=str(source / "src"),
        DJANGO_SETTINGS_MODULE="meetops.config.settings",
        # Development mode: the demo's audit seals use the development key, as the tests do.
        MEETOPS_DEBUG="1",
        MEETOPS_DATA_DIR=str(data_dir),
        REDIS_URL="",
        EMAIL_URL="consolemail://",
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter, our arguments
        [sys.executable, *args], env=env, check=True, text=True, capture_output=capture
    )
    return done.stdout if capture else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="checkout of the old release")
    parser.add_argument("--release", required=True, help="its tag or commit (the file's name)")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "upgrade")
    opts = parser.parse_args()
    source = opts.source.resolve()
    with tempfile.TemporaryDirectory(prefix="meetops-upgrade-") as tmp:
        data_dir = Path(tmp)
        cli = ["-m", "meetops.cli"]
        check = run(source, data_dir, "-c", "import meetops; print(meetops.__file__)", capture=True)
        if not check.strip().startswith(str(source)):
            sys.exit(f"the old release's code was not used: {check.strip()}")
        run(source, data_dir, *cli, "migrate", "-v0")
        run(source, data_dir, *cli, "demo")
        dump = json.loads(run(source, data_dir, "-c", DUMP, ",".join(EXCLUDE), capture=True))
    dump["release"] = opts.release
    opts.out.mkdir(parents=True, exist_ok=True)
    target = opts.out / f"{opts.release}.json.gz"
    with gzip.open(target, "wt", encoding="utf-8") as f:
        json.dump(dump, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{target}: {len(dump['data'])} objects, {len(dump['migrations'])} migrations")


if __name__ == "__main__":
    main()
