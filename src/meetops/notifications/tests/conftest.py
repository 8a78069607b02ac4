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
