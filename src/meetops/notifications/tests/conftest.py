"""Fixtures for the notification tests: people with languages, and real servers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def person(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """make_user plus the fields create_user does not take (language, time zone)."""

    def make(username: str | None = None, *, language: str = "", time_zone: str = "", **fields: Any) -> Any:
        user = make_user(username, **fields)
        if language or time_zone:
            user.language, user.time_zone = language, time_zone
            user.save(update_fields=["language", "time_zone"])
        return user

    return make


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts.

    `stall_data_at=N` makes it hold the N-th message after the final "." (the
    message is already received) until `release` is set; `stall_rcpt_at=N`
    holds the N-th RCPT TO (nothing received yet). `stalled` is set meanwhile.
    """

    def __init__(self) -> None:
        import threading

        self.messages: list[Any] = []
        self.lock = threading.Lock()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.stall_data_at = 0
        self.stall_rcpt_at = 0
        self.rcpt_count = 0
        self.delay = 0.0
        self.refuse: set[str] = set()
        self.port = free_port()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        import asyncio

        self.rcpt_count += 1
        if address in self.refuse:
            return "550 5.1.1 No such user"
        if self.rcpt_count == self.stall_rcpt_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio
        from email import message_from_bytes, policy

        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)
            n = len(self.messages)
        if self.delay:
            await asyncio.sleep(self.delay)
        if n == self.stall_data_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp(settings: Any) -> Any:
    """A real SMTP server, and the settings pointing Django's SMTP backend at it."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.release.set()
    controller.stop()
