"""Report fixtures: the minutes app's meeting (agenda, host, recorder, member) with written minutes,
an action item, and two leaders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from meetops.minutes.tests.conftest import agenda_ids, host, meeting, recorder, written  # noqa: F401


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",), email="leader@example.org")


@pytest.fixture
def leader2(make_user: Callable[..., Any]) -> Any:
    user = make_user("leader2", roles=("leader",), email="leader2@example.org")
    user.language = "zh-hant"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def recorded(written: Any, recorder: Any, member: Any) -> Any:  # noqa: F811
    """The meeting with minutes (decision, summary) and one action item with an owner and due date."""
    from datetime import date

    from meetops.minutes import services

    services.create_action(
        written.meeting,
        actor=recorder,
        title="财务部拿出方案",
        owner=member,
        due_date=date(2030, 1, 15),
    )
    return written.meeting


@pytest.fixture
def drafted(recorded: Any, organiser: Any) -> Any:
    from meetops.reports import services

    return services.draft_report(recorded, actor=organiser)


@pytest.fixture
def submitted(drafted: Any, organiser: Any, leader: Any, leader2: Any) -> Any:
    from meetops.reports import services

    return services.submit_report(drafted, actor=organiser, leaders=[leader, leader2])
