"""Documents fixtures: a meeting with people, leave, sign-ins and approved minutes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def host(make_user: Callable[..., Any]) -> Any:
    user = make_user("host", email="host@example.org")
    user.display_name = "张明"
    user.save(update_fields=["display_name"])
    return user


@pytest.fixture
def recorder(make_user: Callable[..., Any]) -> Any:
    user = make_user("recorder", email="recorder@example.org")
    user.display_name = "冯雪"
    user.save(update_fields=["display_name"])
    return user


@pytest.fixture
def meeting(
    make_meeting: Callable[..., Any], organiser: Any, host: Any, recorder: Any, member: Any
) -> Any:
    from meetops.agenda import services as agenda
    from meetops.meetings.services import add_participant

    member.display_name = "李华"
    member.save(update_fields=["display_name"])
    meeting = make_meeting(
        title="年度档案工作会议", goals="部署档案数字化工作", location="信息中心二楼报告厅"
    )
    add_participant(meeting, actor=organiser, user=host, role="host")
    add_participant(meeting, actor=organiser, user=recorder, role="recorder")
    add_participant(meeting, actor=organiser, user=member, role="participant")
    for name, email in (("王芳", "wang@example.org"), ("孙磊", "sun@example.org")):
        add_participant(meeting, actor=organiser, role="participant", name=name, email=email)
    add_participant(meeting, actor=organiser, role="observer", name="吴敏", email="wu@example.org")
    agenda.replace_agenda(
        meeting,
        items=[
            {"title": "档案数字化方案", "duration_minutes": 30},
            {"title": "网络升级", "duration_minutes": 30},
            {"title": "其他事项", "duration_minutes": 15},
        ],
        actor=organiser,
    )
    return meeting


@pytest.fixture
def on_leave(meeting: Any) -> Any:
    """孙磊 declined with a reason; 王芳 and the host signed in; the member did not come."""
    from django.utils import timezone

    from meetops.attendance.models import SignIn
    from meetops.invitations.models import Invitation

    people = {p.display_name: p for p in meeting.participants.all()}
    Invitation.objects.create(
        participant=people["孙磊"], meeting=meeting, response="decline", reason="出差"
    )
    for name in ("王芳", "吴敏"):
        SignIn.objects.create(
            meeting=meeting,
            participant=people[name],
            signed_in_at=timezone.now(),
            method="desk_manual",
        )
    host = next(p for p in people.values() if p.role == "host")
    SignIn.objects.create(
        meeting=meeting, participant=host, signed_in_at=timezone.now(), method="desk_manual"
    )
    return meeting


@pytest.fixture
def agenda_ids(meeting: Any) -> list[int]:
    return list(meeting.agenda_items.order_by("order").values_list("pk", flat=True))


@pytest.fixture
def written(meeting: Any, recorder: Any, agenda_ids: list[int]) -> Any:
    """Minutes with notes on the first item, two decisions on the second, nothing on the third."""
    from meetops.minutes import services

    return services.save_minutes(
        meeting,
        actor=recorder,
        sections=[
            {
                "agenda_item_id": agenda_ids[0],
                "title": "档案数字化方案",
                "notes": "办公室介绍了档案数字化方案，信息中心补充了技术路线。",
                "decisions": [{"text": "同意启动档案数字化工作，由办公室牵头，年底前完成方案。"}],
            },
            {
                "agenda_item_id": agenda_ids[1],
                "title": "网络升级",
                "notes": "",
                "decisions": [
                    {
                        "text": "同意网络升级预算十万元",
                        "votes_for": 7,
                        "votes_against": 1,
                        "votes_abstain": 0,
                    },
                    {"text": "信息中心十一月底前提交实施计划"},
                ],
            },
            {"agenda_item_id": agenda_ids[2], "title": "其他事项", "notes": "", "decisions": []},
        ],
        summary="会议要求各部门按分工落实。",
        action_plan="",
    )


@pytest.fixture
def approved(written: Any, recorder: Any, host: Any) -> Any:
    from meetops.minutes import services

    services.submit_minutes(written, actor=recorder)
    return services.approve_minutes(written, actor=host)


@pytest.fixture
def issuer(db: Any) -> Any:
    from meetops.documents.services import default_issuer

    issuer = default_issuer()
    issuer.name = "某某市信息中心"
    issuer.prefix = "某信办"
    issuer.copy_to = "市档案局，各部门"
    issuer.save()
    return issuer
