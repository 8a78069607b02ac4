"""`meetops check` (core/preflight.py): one line per problem, non-zero exit, before a server
starts; Django's own `check` is left as it is."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetops.core import preflight
from meetops.core.tests.test_health import _closed_port

MEETOPS = Path(sys.executable).with_name("meetops")


def problems(findings: list[preflight.Finding]) -> list[str]:
    return [f.text for f in findings if f.level == "problem"]


@pytest.fixture
def production(settings: Any) -> Any:
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.MEETOPS_AUDIT_KEY = secrets.token_urlsafe(50)
    settings.SITE_URL = "https://meetings.example.org"
    return settings


@pytest.mark.django_db
def test_a_complete_instance_has_no_problem(production: Any) -> None:
    assert problems(preflight.run(deploy=False)) == []


@pytest.mark.django_db
def test_missing_settings_and_unreachable_services_are_one_line_each(
    production: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The browser tests' conftest allows Django's ORM from Playwright's event loop, which
    # Django's deployment check rightly counts as a problem; not this test's concern.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    production.MEETOPS_AUDIT_KEY = ""
    production.SITE_URL = preflight.DEFAULT_SITE
    production.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    production.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    production.EMAIL_HOST, production.EMAIL_PORT = "127.0.0.1", _closed_port()
    found = problems(preflight.run(deploy=False, timeout=2))
    assert [line.split(" ")[0] for line in found] == [
        "MEETOPS_AUDIT_KEY",
        "MEETOPS_SITE_URL",
        "Redis",
        "mail",
    ]
    assert f"127.0.0.1:{production.EMAIL_PORT} unreachable" in found[3]
    with pytest.raises(CommandError, match="4 problem"):
        call_command("preflight", "--timeout", "2")


def test_the_cli_reports_pending_migrations_and_exits_non_zero(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        MEETOPS_DATA_DIR=str(tmp_path),
        MEETOPS_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        MEETOPS_AUDIT_KEY=secrets.token_urlsafe(50),
        MEETOPS_SITE_URL="https://meetings.example.org",
    )
    done = subprocess.run(
        [str(MEETOPS), "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("problem: ") and "not applied" in line for line in lines)
    assert "meetops migrate" in done.stdout
    assert "1 problem(s)" in done.stderr
