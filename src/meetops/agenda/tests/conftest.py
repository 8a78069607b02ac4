"""Agenda fixtures: a meeting from 09:00 to 11:00 tomorrow (local time) and a row factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def nine_am() -> datetime:
    tomorrow = timezone.localtime() + timedelta(days=1)
    return tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def meeting(make_meeting: Callable[..., Any], nine_am: datetime) -> Any:
    return make_meeting(
        title="季度工作会议",
        start=nine_am,
        hours=2,
        goals="部署下季度工作",
        description="总结上季度工作",
    )


@pytest.fixture
def rows() -> Callable[..., list[dict[str, Any]]]:
    """`rows(30, 45, 15)`: one item per duration, titled 议题1, 议题2, …"""

    def make(*durations: int, **extra: Any) -> list[dict[str, Any]]:
        return [
            {"title": f"议题{i}", "duration_minutes": d, **extra}
            for i, d in enumerate(durations, start=1)
        ]

    return make
