"""Fixtures for invitations: a meeting with people, and the outbox rows it produced."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def outbox_mails() -> Callable[..., list[Any]]:
    """The e-mail rows in the notifications outbox, oldest first (optionally for one address)."""
    from meetops.notifications.models import OutboxMessage

    def rows(to: str | None = None) -> list[Any]:
        qs = OutboxMessage.objects.filter(channel="email").order_by("pk")
        return list(qs.filter(address=to) if to else qs)

    return rows


@pytest.fixture
def guests(make_meeting: Callable[..., Any], organiser: Any) -> Callable[..., Any]:
    """A meeting with n guest participants (guest1@example.org ...)."""
    from meetops.meetings import services

    def make(n: int = 3, **meeting_fields: Any) -> Any:
        meeting = make_meeting(**{"location": "三楼会议室", "goals": "g", **meeting_fields})
        for i in range(1, n + 1):
            services.add_participant(
                meeting, actor=organiser, name=f"嘉宾{i}", email=f"guest{i}@example.org"
            )
        return meeting

    return make


# A real SMTP server (aiosmtpd) on loopback, shared with the notifications tests.
from meetops.notifications.tests.conftest import smtp  # noqa: E402, F401
