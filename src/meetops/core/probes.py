"""Is each service MeetOps depends on there? For `/readyz` and `meetops check`.

Each probe returns None when the service answers, else a short reason. Liveness
(`/healthz`: the process answers and reaches its database) stays apart from readiness
(`/readyz`: every service a request may need answers, so a load balancer sends none
to a node that would fail them).
"""

from __future__ import annotations

import os
import smtplib
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

TIMEOUT = 5.0


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to answer means not ready
        return _reason(exc)
    return None


def redis_configured() -> bool:
    return bool(settings.REDIS_URL)


def redis() -> str | None:
    """None when Redis answers PING (or is not configured: the outbox works without it)."""
    if not redis_configured():
        return None
    import redis as redis_lib

    try:
        client = redis_lib.Redis.from_url(
            settings.REDIS_URL, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return _reason(exc)
    return None


def storage() -> str | None:
    """Uploaded files: the directory is writable, or the object store answers."""
    try:
        if isinstance(default_storage, FileSystemStorage):
            root = Path(default_storage.location)
            root.mkdir(parents=True, exist_ok=True)
            if not os.access(root, os.W_OK):
                return f"{root} is not writable"
        else:
            # A HEAD on a key that need not exist: answers only if the bucket and credentials do.
            default_storage.exists("meetops-readiness-probe")
    except Exception as exc:
        return _reason(exc)
    return None


def smtp_configured() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def smtp(timeout: float = TIMEOUT) -> str | None:
    """The mail server greets and answers EHLO (no mail is sent; not logged in)."""
    if not smtp_configured():
        return None
    host, port = settings.EMAIL_HOST, int(settings.EMAIL_PORT)
    try:
        cls = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
        with cls(host, port, timeout=timeout) as server:
            server.ehlo()
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:
        return _reason(exc)
    return None
