"""Venue fixtures: rooms and times that are always in the future, on a weekday, inside office hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def make_room(db: Any) -> Callable[..., Any]:
    from meetops.venues.services.rooms import create_room

    counter = {"n": 0}

    def make(name: str | None = None, *, capacity: int = 10, **fields: Any) -> Any:
        counter["n"] += 1
        return create_room(
            actor=None, name=name or f"会议室{counter['n']}", capacity=capacity, **fields
        )

    return make


@pytest.fixture
def room(make_room: Callable[..., Any]) -> Any:
    return make_room("第一会议室", capacity=12, facilities=["projector"])


@pytest.fixture
def at() -> Callable[..., datetime]:
    """at(day_offset, hour, minute): a local time on a weekday at least `day_offset` days ahead."""
    base = timezone.localtime().date() + timedelta(days=7)
    while base.weekday() != 1:  # a Tuesday
        base += timedelta(days=1)

    def make(days: int = 0, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(
            base + timedelta(days=days), datetime.min.time(), tzinfo=timezone.get_default_timezone()
        ).replace(hour=hour, minute=minute)

    return make


@pytest.fixture
def room_admin(make_user: Callable[..., Any]) -> Any:
    return make_user("roomkeeper", roles=("staff",))


@pytest.fixture
def kept_room(make_room: Callable[..., Any], room_admin: Any) -> Any:
    """A room with its own administrator (who is not a system administrator)."""
    return make_room("报告厅", capacity=80, administrators=[room_admin])
