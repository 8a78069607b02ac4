"""Improvement fixtures: a leader, a recorder on a meeting, and lesson/measure factories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",))


@pytest.fixture
def meeting(make_meeting: Callable[..., Any], member: Any, organiser: Any) -> Any:
    """An internal meeting with `member` as a plain participant."""
    from meetops.meetings.services import add_participant

    m = make_meeting(title="季度工作总结会", kind="regular", confidentiality="internal")
    add_participant(m, actor=organiser, user=member, role="participant")
    return m


@pytest.fixture
def secret_meeting(make_meeting: Callable[..., Any]) -> Any:
    return make_meeting(title="人事绝密会议", kind="leadership", confidentiality="confidential")


@pytest.fixture
def add_lesson(organiser: Any) -> Callable[..., Any]:
    from meetops.improvement.services.lessons import record_lesson

    def make(meeting: Any, **fields: Any) -> Any:
        values = {
            "actor": organiser,
            "phase": "running",
            "category": "tech",
            "effect": "negative",
            "what_happened": "投影仪无法投屏",
            "cause": "会前未联调",
            **fields,
        }
        return record_lesson(meeting=meeting, **values)

    return make


@pytest.fixture
def add_measure(organiser: Any) -> Callable[..., Any]:
    from django.utils import timezone

    from meetops.improvement.services.measures import create_measure

    def make(meeting: Any = None, **fields: Any) -> Any:
        values = {
            "actor": organiser,
            "title": "会前联调演示电脑",
            "owner": organiser,
            "due_date": timezone.localdate() + timedelta(days=7),
            **fields,
        }
        return create_measure(meeting=meeting, **values)

    return make
