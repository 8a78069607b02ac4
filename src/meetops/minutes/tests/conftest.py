"""Minutes fixtures: a meeting with an agenda, a host, a recorder and a participant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def host(make_user: Callable[..., Any]) -> Any:
    user = make_user("host", email="host@example.org")
    user.language = "zh-hant"  # mails to the host come in Traditional Chinese
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def recorder(make_user: Callable[..., Any]) -> Any:
    return make_user("recorder", email="recorder@example.org")


@pytest.fixture
def meeting(
    make_meeting: Callable[..., Any], organiser: Any, host: Any, recorder: Any, member: Any
) -> Any:
    from meetops.agenda import services as agenda
    from meetops.meetings.services import add_participant

    meeting = make_meeting(title="季度工作会议", goals="部署下季度工作")
    add_participant(meeting, actor=organiser, user=host, role="host")
    add_participant(meeting, actor=organiser, user=recorder, role="recorder")
    add_participant(meeting, actor=organiser, user=member, role="participant")
    add_participant(
        meeting, actor=organiser, role="participant", name="王五", email="wang@example.org"
    )
    agenda.replace_agenda(
        meeting,
        items=[
            {"title": "上季度总结", "duration_minutes": 30},
            {"title": "预算讨论", "duration_minutes": 45},
        ],
        actor=organiser,
    )
    return meeting


@pytest.fixture
def agenda_ids(meeting: Any) -> list[int]:
    return list(meeting.agenda_items.order_by("order").values_list("pk", flat=True))


@pytest.fixture
def written(meeting: Any, recorder: Any, agenda_ids: list[int]) -> Any:
    """Minutes the recorder has written: one note and one decision with votes."""
    from meetops.minutes import services

    return services.save_minutes(
        meeting,
        actor=recorder,
        sections=[
            {
                "agenda_item_id": agenda_ids[0],
                "title": "上季度总结",
                "notes": "完成率百分之九十五",
                "decisions": [],
            },
            {
                "agenda_item_id": agenda_ids[1],
                "title": "预算讨论",
                "notes": "讨论了差旅预算",
                "decisions": [
                    {
                        "text": "同意增加差旅预算十万元",
                        "votes_for": 7,
                        "votes_against": 1,
                        "votes_abstain": 0,
                    }
                ],
            },
        ],
        summary="会议圆满完成各项议程",
        action_plan="财务部下周拿出方案",
    )
