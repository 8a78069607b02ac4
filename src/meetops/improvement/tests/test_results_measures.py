"""P6.9: the evaluation's results tell their improvement measures, and those told see how the
measures stand later on one page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.evaluation import services as evaluation
from meetops.improvement.services import measures as services
from meetops.meetings.services import add_participant
from meetops.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(make_meeting: Callable[..., Any], organiser: Any, member: Any) -> Any:
    """A meeting that ended an hour ago, with the member on it, reading Simplified Chinese."""
    meeting = make_meeting(
        title="年度教学工作会议", start=(timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    )
    member.language = "zh-hans"
    member.display_name, member.email = "王小明", "wang@example.org"
    member.save(update_fields=["language", "display_name", "email"])
    add_participant(meeting, actor=organiser, user=member)
    return meeting


@pytest.fixture
def reader_hant(make_user: Callable[..., Any]) -> Any:
    user = make_user("leader_hant", roles=("leader",))
    user.language, user.email = "zh-hant", "lin@example.org"
    user.save(update_fields=["language", "email"])
    return user


def _send(meeting: Any, organiser: Any) -> None:
    evaluation.update_evaluation(meeting, actor=organiser, conclusion="基本达到预期")
    evaluation.complete_evaluation(meeting, actor=organiser)
    evaluation.send_results(meeting, actor=organiser, audiences=["participants", "leaders"])


def test_the_results_list_each_measure_with_owner_due_date_status_and_link(
    held, organiser, member, reader_hant, add_lesson, add_measure
):
    lesson = add_lesson(held)
    due = timezone.localdate() + timedelta(days=14)
    measure = add_measure(lessons=[lesson], owner=member, due_date=due, title="会前联调投影设备")
    _send(held, organiser)

    told = OutboxMessage.objects.filter(event="evaluation.results", user=member)
    assert {m.channel for m in told} == {"email", "inapp"}
    for message in told:
        body = message.body
        assert "改进措施" in body
        line = next(x for x in body.splitlines() if "会前联调投影设备" in x)
        assert "负责人: 王小明" in line and due.isoformat() in line and "计划中" in line
        assert f"/improvements/{measure.pk}/" in body
        assert f"/meetings/{held.pk}/lessons/#meeting-measures" in body
    leader_body = OutboxMessage.objects.get(
        event="evaluation.results", user=reader_hant, channel="email"
    ).body
    assert "改進措施" in leader_body and "計劃中" in leader_body


def test_results_without_measures_say_so(held, organiser, member):
    _send(held, organiser)
    body = OutboxMessage.objects.get(event="evaluation.results", user=member, channel="email").body
    assert "尚未制定改进措施" in body
    assert f"/meetings/{held.pk}/lessons/" in body


def test_those_told_see_later_measures_and_their_current_state(
    held, organiser, member, leader, client, add_lesson, add_measure
):
    first = add_measure(held, owner=member, title="会前联调投影设备")
    _send(held, organiser)
    # After the results went out: the first is done and judged effective, a second is planned.
    services.start_measure(first, actor=member)
    services.complete_measure(first, actor=member, result_note="已联调", evidence="清单第 7 项")
    services.review_measure(first, actor=leader, effectiveness="effective")
    later = add_measure(held, owner=organiser, title="签到台增加一名工作人员")

    client.force_login(member)
    page = client.get(
        reverse("meeting_lessons", args=[held.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    rows = page.split('id="measure-list"')[1].split("</table>")[0]
    first_row = rows.split(f'data-measure="{first.pk}"')[1].split("</tr>")[0]
    assert "已完成" in first_row and "有效" in first_row and "王小明" in first_row
    assert f'data-measure="{later.pk}"' in rows and "签到台增加一名工作人员" in rows

    client.force_login(leader)
    results = client.get(
        reverse("evaluation:evaluation", args=[held.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "签到台增加一名工作人员" in results.split('id="evaluation-measures"')[1]
