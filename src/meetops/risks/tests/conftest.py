"""Risk fixtures: a leader, and a meeting of the organiser's with a risk factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",))


@pytest.fixture
def meeting(make_meeting: Callable[..., Any]) -> Any:
    return make_meeting(title="年度安全工作会议", kind="conference", location="一号楼报告厅")


@pytest.fixture
def add_risk(organiser: Any) -> Callable[..., Any]:
    from meetops.risks import services

    def make(meeting: Any, **fields: Any) -> Any:
        actor = fields.pop("actor", organiser)
        values = {
            "phase": "running",
            "category": "technical",
            "description": "投影仪故障",
            "likelihood": 2,
            "impact": 2,
            **fields,
        }
        return services.add_risk(meeting, actor=actor, **values)

    return make
