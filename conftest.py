"""Shared fixtures: factories that return callables with defaults, and the three personas."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

os.environ.setdefault("MEETOPS_TESTING", "1")
os.environ.setdefault("MEETOPS_DATA_DIR", tempfile.mkdtemp(prefix="meetops-test-"))

import pytest

# Real identity servers (CAS, OpenID Connect, SAML) for the single sign-on tests.
pytest_plugins = ["tests.servers.fixtures"]


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from meetops.people import services
    from meetops.people.models import Role

    counter = {"n": 0}

    def make(
        username: str | None = None,
        *,
        roles: tuple[str, ...] = (Role.MEMBER,),
        password: str = "pw-test-123",  # noqa: S107
        **fields: Any,
    ) -> Any:
        counter["n"] += 1
        return services.create_user(
            username=username or f"user{counter['n']}",
            actor=None,
            password=password,
            roles=roles,
            **fields,
        )

    return make


@pytest.fixture
def organiser(make_user: Callable[..., Any]) -> Any:
    return make_user("organiser", roles=("organiser",))


@pytest.fixture
def member(make_user: Callable[..., Any]) -> Any:
    return make_user("member", roles=("member",))


@pytest.fixture
def outsider(make_user: Callable[..., Any]) -> Any:
    return make_user("outsider", roles=("member",))


@pytest.fixture
def admin_user(make_user: Callable[..., Any]) -> Any:
    return make_user("admin", roles=("admin",))


@pytest.fixture
def as_shown() -> Callable[[Any], dict[str, Any]]:
    """The data a form's page sends back untouched: each field's shown value, ticked boxes as
    "on", unticked and empty ones left out (for "saved as it was" tests)."""

    def data(form: Any) -> dict[str, Any]:
        sent: dict[str, Any] = {}
        for name in form.fields:
            value = form[name].value()
            if value is True:
                sent[name] = "on"
            elif value not in (None, False):
                sent[name] = value
        return sent

    return data


@pytest.fixture
def make_meeting(db: Any, organiser: Any) -> Callable[..., Any]:
    from django.utils import timezone

    from meetops.meetings import services
    from meetops.meetings.models import MeetingKind

    def make(
        *,
        actor: Any = None,
        title: str = "周例会",
        kind: str = "regular",
        start: datetime | None = None,
        hours: int = 2,
        **fields: Any,
    ) -> Any:
        start = start or (timezone.now() + timedelta(days=3)).replace(microsecond=0)
        return services.create_meeting(
            actor=actor or organiser,
            title=title,
            kind=MeetingKind.objects.get(code=kind),
            start=start,
            end=start + timedelta(hours=hours),
            **fields,
        )

    return make


class ApiClient:
    """A Django test client that sends a bearer token and JSON."""

    def __init__(self, client: Any, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, data: Any = None, raw: str | None = None) -> Any:
        import json

        kwargs: dict[str, Any] = {"headers": self.headers}
        if raw is not None or data is not None:
            kwargs["data"] = raw if raw is not None else json.dumps(data)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: Any = None, raw: str | None = None) -> Any:
        return self._call("post", path, data, raw)

    def patch(self, path: str, data: Any = None, raw: str | None = None) -> Any:
        return self._call("patch", path, data, raw)

    def put(self, path: str, data: Any = None, raw: str | None = None) -> Any:
        return self._call("put", path, data, raw)

    def delete(self, path: str) -> Any:
        return self._call("delete", path)


@pytest.fixture
def api_as(client: Any) -> Callable[[Any], ApiClient]:
    from meetops.people.services import create_api_token

    def make(user: Any | None) -> ApiClient:
        if user is None:
            return ApiClient(client, None)
        _token, raw = create_api_token(user, actor=None)
        return ApiClient(client, raw)

    return make


@pytest.fixture
def meetops_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Any]:
    """Run `meetops ARGS...` in-process on the test database; returns (exit code, stdout, stderr).

    Django's command runner closes every connection when a command ends, which
    would close the test's own; that is switched off here.
    """
    from django.db import connections

    from meetops.cli import main

    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        root = logging.getLogger()
        handlers = root.handlers[:]
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            # The command sets Django up again (execute_from_command_line does), which rebuilds
            # the logging handlers on the stderr of the moment: capsys's, closed after this test.
            # Left in place, every later log line of the run (aiosmtpd's INFO above all) ended
            # in "--- Logging error ---". Put the process's own handlers back.
            for handler in root.handlers:
                if handler not in handlers:
                    handler.close()
            root.handlers[:] = handlers
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """pytest-django's test database, plus (PostgreSQL only) ending stray sessions before the drop.

    A subprocess test (`meetops serve`, a killed worker) can leave a backend on the test
    database that outlives its process for a moment; dropping the database then warns that
    it is still in use. Its work is over, so it is terminated before teardown.
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's audit checkpoints in a folder of its own: a checkpoint describes one
    database, and a test's database is rolled back after it (ADR 0011)."""
    settings.MEETOPS_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit", numbered=True)
