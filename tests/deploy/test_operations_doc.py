"""docs/operations.md names every setting MeetOps reads, so an operator can look each one up."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "src" / "meetops"
# A setting is read by name: env.str("NAME", ...), env.bool("NAME"), os.environ.get("NAME").
READ = re.compile(
    r"""(?:env(?:\.\w+)?|os\.environ\.get|os\.environ\.setdefault|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


def settings_read() -> set[str]:
    names = set()
    for path in SOURCES.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    return names - NOT_SETTINGS


def test_the_scan_finds_the_settings_it_should():
    # If the pattern stopped matching, the test below would pass on nothing.
    assert {
        "SECRET_KEY",
        "DATABASE_URL",
        "MEETOPS_S3_BUCKET",
        "PORT",
        "MEETOPS_WORKERS",
    } <= settings_read()


def test_every_setting_is_in_the_settings_reference():
    reference = (
        (ROOT / "docs" / "operations.md")
        .read_text(encoding="utf-8")
        .split("## Settings reference", 1)[1]
    )
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", reference))
    missing = sorted(settings_read() - documented)
    assert not missing, f"add to docs/operations.md, Settings reference: {missing}"
