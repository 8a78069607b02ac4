"""Live fixtures: a meeting that is ready, with a host, a recorder, AV staff, a participant and a 3-item agenda."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def host(make_user: Callable[..., Any]) -> Any:
    return make_user("host")


@pytest.fixture
def recorder(make_user: Callable[..., Any]) -> Any:
    return make_user("recorder")


@pytest.fixture
def av(make_user: Callable[..., Any]) -> Any:
    return make_user("av")


@pytest.fixture
def room_meeting(
    make_meeting: Callable[..., Any], organiser: Any, host: Any, recorder: Any, av: Any, member: Any
) -> Any:
    from meetops.agenda import services as agenda
    from meetops.meetings.models import Meeting
    from meetops.meetings.services import add_participant

    meeting = make_meeting(title="季度工作会议", location="第一会议室")
    add_participant(meeting, actor=organiser, user=host, role="host")
    add_participant(meeting, actor=organiser, user=recorder, role="recorder")
    add_participant(meeting, actor=organiser, user=av, role="staff", duties="音视频设备保障")
    add_participant(meeting, actor=organiser, user=member, role="participant")
    agenda.replace_agenda(
        meeting,
        items=[
            {"title": "上季度总结", "duration_minutes": 10},
            {"title": "预算讨论", "duration_minutes": 20},
            {"title": "下季度部署", "duration_minutes": 30},
        ],
        actor=organiser,
    )
    Meeting.objects.filter(pk=meeting.pk).update(stage="ready")
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def items(room_meeting: Any) -> list[Any]:
    return list(room_meeting.agenda_items.order_by("order"))
