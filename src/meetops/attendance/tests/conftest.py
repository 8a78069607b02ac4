"""Fixtures for the sign-in desk: a meeting about to start, its people, and their sign-in codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest


@pytest.fixture
def desk_meeting(make_meeting: Callable[..., Any], organiser: Any) -> Callable[..., Any]:
    """A meeting starting in `starts_in` (default 30 minutes) with n invited guests 嘉宾1..n."""
    from django.utils import timezone

    from meetops.invitations.services import invitations as invites
    from meetops.meetings import services

    def make(n: int = 3, *, starts_in: timedelta = timedelta(minutes=30), **fields: Any) -> Any:
        meeting = make_meeting(
            start=timezone.now().replace(microsecond=0) + starts_in,
            location="三楼会议室",
            **fields,
        )
        for i in range(1, n + 1):
            services.add_participant(
                meeting,
                actor=organiser,
                name=f"嘉宾{i}",
                email=f"guest{i}@example.org",
                phone=f"1380013800{i}",
                organisation="办公室",
            )
        if n:
            invites.send_invitations(meeting, actor=organiser, to="all")
        return meeting

    return make


@pytest.fixture
def code_of() -> Callable[[Any], str]:
    """The personal sign-in code of a participant (their invitation's)."""

    def code(participant: Any) -> str:
        from meetops.invitations.models import Invitation

        return Invitation.objects.get(participant=participant).checkin_code

    return code


@pytest.fixture
def guest() -> Callable[[Any, int], Any]:
    def find(meeting: Any, n: int) -> Any:
        return meeting.participants.get(name=f"嘉宾{n}")

    return find
