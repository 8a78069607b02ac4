"""The `meetops` command line: help, users, tokens, and the settings it refuses to start with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meetops.people.models import ApiToken, User

MEETOPS = Path(sys.executable).with_name("meetops")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DJANGO_"))}
    env.pop("SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    env.update(MEETOPS_DATA_DIR=str(tmp_path), MEETOPS_TESTING="0", **extra)
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_the_operator_commands(meetops_cli):
    code, out, _err = meetops_cli("--help")
    assert code == 0
    for command in ("serve", "migrate", "demo", "user", "token", "audit"):
        assert f"\n  {command} " in out


def _meetops(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MEETOPS), *argv],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_console_script_is_installed_and_prints_help(tmp_path):
    result = _meetops(tmp_path, "--help")
    assert result.returncode == 0 and "audit" in result.stdout


@pytest.mark.django_db
def test_user_create_with_role_and_password(meetops_cli, client):
    code, out, _err = meetops_cli(
        "user",
        "create",
        "zhoujie",
        "--role",
        "organiser",
        "--role",
        "leader",
        "--password",
        "s3cret-pass-1",
    )
    assert code == 0 and "created zhoujie (leader, organiser)" in out
    user = User.objects.get(username="zhoujie")
    assert user.role_codes == {"organiser", "leader"} and not user.is_superuser
    assert (
        client.post("/login/", {"username": "zhoujie", "password": "s3cret-pass-1"}).status_code
        == 302
    )


@pytest.mark.django_db
def test_user_create_admin_and_token_only_user(meetops_cli):
    assert (
        meetops_cli("user", "create", "root2", "--role", "admin", "--password", "x-long-pass")[0]
        == 0
    )
    assert User.objects.get(username="root2").is_superuser
    assert meetops_cli("user", "create", "robot", "--password", "-")[0] == 0
    robot = User.objects.get(username="robot")
    assert not robot.has_usable_password() and robot.role_codes == {"member"}


@pytest.mark.django_db
def test_user_create_refuses_a_taken_name_and_an_unknown_role(meetops_cli, member):
    code, _out, err = meetops_cli("user", "create", "member", "--password", "abc-def-123")
    assert code == 1 and "username_taken" in err
    code, _out, err = meetops_cli(
        "user", "create", "x", "--role", "king", "--password", "abc-def-123"
    )
    assert code == 2 and "invalid choice" in err


@pytest.mark.django_db
def test_user_roles_replaces_roles(meetops_cli, member):
    code, out, _err = meetops_cli("user", "roles", "member", "staff", "archivist")
    assert code == 0 and "archivist, staff" in out
    assert User.objects.get(username="member").role_codes == {"staff", "archivist"}


@pytest.mark.django_db
def test_token_create_prints_a_working_token(meetops_cli, organiser, client):
    code, out, _err = meetops_cli("token", "create", "organiser")
    token = out.strip()
    assert code == 0 and token.startswith("mo_")
    assert ApiToken.objects.get(user=organiser).digest == ApiToken.digest_of(token)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == "organiser"


@pytest.mark.django_db
def test_token_create_for_unknown_user_fails(meetops_cli):
    code, _out, err = meetops_cli("token", "create", "nobody")
    assert code == 1 and "no active user nobody" in err


def test_settings_refuse_to_start_without_secret_key_in_production(tmp_path):
    result = _python("import django; from meetops.config import settings", _env(tmp_path))
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr
    cli = _meetops(tmp_path, "check")
    assert cli.returncode != 0 and "SECRET_KEY is not set" in cli.stderr


def test_settings_start_in_debug_mode_or_with_a_secret_key(tmp_path):
    code = "from meetops.config import settings as s; print(s.DEBUG, bool(s.SECRET_KEY))"
    assert _python(code, _env(tmp_path, MEETOPS_DEBUG="1")).stdout.split() == ["True", "True"]
    assert _python(code, _env(tmp_path, SECRET_KEY="k" * 50)).stdout.split() == ["False", "True"]


SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.contrib.auth.hashers import make_password
from django.test import Client
r = Client().get("/healthz", HTTP_HOST="meet.example.org")
page = Client().get("/login/", HTTP_HOST="meet.example.org") if s.SECURE_SSL_REDIRECT else r
print(json.dumps({
    "hashers": s.PASSWORD_HASHERS, "hash": make_password("x").split("$")[0],
    "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "redirect": s.SECURE_SSL_REDIRECT, "hsts": s.SECURE_HSTS_SECONDS, "hosts": s.ALLOWED_HOSTS,
    "trusted": s.CSRF_TRUSTED_ORIGINS, "status": r.status_code, "location": r.get("Location"),
    "page_status": page.status_code, "page_location": page.get("Location"),
}))
"""


def _probe(tmp_path: Path, **env: str) -> dict:
    result = _python(
        SETTINGS_PROBE,
        _env(
            tmp_path, SECRET_KEY="k" * 50, DJANGO_SETTINGS_MODULE="meetops.config.settings", **env
        ),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_hashes_passwords_with_argon2(tmp_path):
    probe = _probe(tmp_path)
    assert probe["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert probe["hash"] == "argon2"


def test_https_site_url_sets_secure_cookies_and_redirects(tmp_path):
    probe = _probe(
        tmp_path, MEETOPS_SITE_URL="https://meet.example.org", ALLOWED_HOSTS="intranet.local"
    )
    assert (
        probe["session_secure"] and probe["csrf_secure"] and probe["redirect"] and probe["hsts"] > 0
    )
    assert {"meet.example.org", "intranet.local"} <= set(probe["hosts"])
    assert probe["trusted"] == ["https://meet.example.org"]
    # Pages go to https; the probes answer where they are asked (the TLS proxy's health check).
    assert probe["page_status"] == 301
    assert probe["page_location"] == "https://meet.example.org/login/"
    assert probe["status"] == 200


def test_http_site_url_keeps_plain_cookies_and_no_redirect(tmp_path):
    probe = _probe(tmp_path, MEETOPS_SITE_URL="http://meet.example.org:8080")
    assert not probe["session_secure"] and not probe["csrf_secure"] and not probe["redirect"]
    assert probe["status"] == 200 and probe["trusted"] == ["http://meet.example.org:8080"]


@pytest.mark.django_db
def test_running_the_cli_in_process_keeps_the_logging_handlers(meetops_cli):
    """Setting Django up again rebuilt the handlers on the test's captured stderr, closed after
    the test: every later log line of the run ended in "--- Logging error ---"."""
    import logging

    before = [(h, getattr(h, "stream", None)) for h in logging.getLogger().handlers]
    code, _out, _err = meetops_cli("token", "create", "nobody")
    assert code == 1  # a refused command is enough: the setup is what is checked
    after = [(h, getattr(h, "stream", None)) for h in logging.getLogger().handlers]
    assert after == before
