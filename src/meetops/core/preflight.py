"""`meetops check`: what would stop this node from working, found before a server starts.

Django's system checks (with the deployment ones outside development), migrations not
yet applied, settings a production instance must have, and whether the database, Redis
(if configured), file storage and the mail server (if configured) answer within a
timeout. One line per problem; `meetops check` exits non-zero when there is any.
`manage.py check` / `call_command("check")` stay Django's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetops.core import probes

DEV_SECRET = "meetops-development-only-not-secret"  # noqa: S105 - the known dev value
DEFAULT_SITE = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Finding:
    level: str  # "problem" or "warning"
    text: str

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"


def system_checks(*, deploy: bool) -> Iterator[Finding]:
    for message in checks.run_checks(include_deployment_checks=deploy):
        if message.is_silenced() or (message.id == "meetops.W011" and not settings.DEBUG):
            continue  # the missing audit key is a problem in production (below), said once
        level = "problem" if message.level >= checks.ERROR else "warning"
        text = f"{message.id}: {message.msg}"
        if message.hint:
            text += f" ({message.hint})"
        yield Finding(level, text)


def pending_migrations() -> Iterator[Finding]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        yield Finding(
            "problem",
            f"{len(plan)} migration(s) not applied: {names}{more} (run `meetops migrate`)",
        )


def production_settings() -> Iterator[Finding]:
    """What a production instance (MEETOPS_DEBUG off) must be given in its environment."""
    if settings.DEBUG:
        return
    if not settings.SECRET_KEY or settings.SECRET_KEY == DEV_SECRET:
        yield Finding("problem", "SECRET_KEY is not set")
    elif len(settings.SECRET_KEY) < 32:
        yield Finding("problem", "SECRET_KEY is shorter than 32 characters")
    if not settings.MEETOPS_AUDIT_KEY:
        yield Finding(
            "problem",
            "MEETOPS_AUDIT_KEY is not set: the audit seals hang on SECRET_KEY (ADR 0011)",
        )
    if settings.SITE_URL == DEFAULT_SITE:
        yield Finding(
            "problem",
            "MEETOPS_SITE_URL is not set: links in mail point at 127.0.0.1 and no other "
            "host name is allowed",
        )
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend")):
        yield Finding("warning", "EMAIL_URL is not set: mail is printed, not sent")


def services(*, timeout: float) -> Iterator[Finding]:
    problem = probes.database()
    if problem:
        yield Finding("problem", f"database unreachable: {problem}")
    else:
        yield from pending_migrations()
    if probes.redis_configured() and (problem := probes.redis()):
        yield Finding("problem", f"Redis (REDIS_URL) unreachable: {problem}")
    if problem := probes.storage():
        yield Finding("problem", f"file storage unusable: {problem}")
    if probes.smtp_configured() and (problem := probes.smtp(timeout)):
        yield Finding(
            "problem",
            f"mail server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} unreachable: {problem}",
        )


def run(*, deploy: bool | None = None, timeout: float = probes.TIMEOUT) -> list[Finding]:
    """Every finding, problems and warnings; deployment checks unless in development."""
    deploy = (not settings.DEBUG) if deploy is None else deploy
    return [
        *production_settings(),
        *system_checks(deploy=deploy),
        *services(timeout=timeout),
    ]
