"""Meetings into WeCom calendars (日程, issue 12 item 6): one schedule per meeting with the
linked invitees, moved with the meeting, deleted when it is cancelled, never made twice by a
retry. Against the 日程 stand-in, over HTTP, through the outbox worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from tests.servers.wecom_calendar_standin import WeComCalendarStandIn
from tests.servers.wecom_standin import member

from meetops.identity.models import ExternalIdentity
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.notifications.models import OutboxMessage, Status
from meetops.notifications.worker import Worker
from meetops.workim.calendars import CALENDAR_EVENT
from meetops.workim.models import CalendarEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedules() -> Iterator[WeComCalendarStandIn]:
    stand_in = WeComCalendarStandIn()
    stand_in.add(member("zhangsan", "张三", [2]))
    stand_in.add(member("lisi", "李四", [3]))
    with stand_in:
        cache.clear()
        with override_settings(**stand_in.env()):
            yield stand_in
    cache.clear()


@pytest.fixture
def invited(schedules: WeComCalendarStandIn, make_user: Any, make_meeting: Any, organiser: Any):
    people = []
    for userid in ("zhangsan", "lisi"):
        user = make_user(userid, email=f"{userid}@example.edu.cn")
        ExternalIdentity.objects.create(user=user, provider="wecom", external_id=userid)
        people.append(user)
    meeting = make_meeting(title="党委会（第7次）", location="第一会议室")
    for user in people:
        meetings.add_participant(meeting, actor=organiser, user=user)
    return meeting


def work() -> None:
    for _ in range(4):
        OutboxMessage.objects.filter(status=Status.FAILED).update(next_attempt_at=timezone.now())
        Worker().run_once(with_jobs=False)


def test_invitations_make_one_schedule_that_follows_the_meeting_until_cancelled(
    schedules: WeComCalendarStandIn, invited: Any, organiser: Any
) -> None:
    invites.send_invitations(invited, actor=organiser, to="all")
    work()
    [(schedule_id, schedule)] = schedules.schedules.items()
    assert schedule["summary"] == "党委会（第7次）" and schedule["location"] == "第一会议室"
    assert schedule["start_time"] == int(invited.start.timestamp())
    assert f"%2Fmeetings%2F{invited.pk}%2F" in schedule["description"]
    assert schedule["attendees"] == {"zhangsan", "lisi"}

    later = invited.start + timedelta(hours=3)
    meetings.update_meeting(invited, actor=organiser, start=later, end=later + timedelta(hours=1))
    work()
    assert list(schedules.schedules) == [schedule_id]
    assert schedules.schedules[schedule_id]["start_time"] == int(later.timestamp())
    assert schedules.schedules[schedule_id]["attendees"] == {"zhangsan", "lisi"}

    meetings.transition_meeting(invited, to="cancelled", actor=organiser, reason="改期")
    work()
    assert schedules.schedules == {} and schedules.deleted == [schedule_id]
    assert len(schedules.calls("cgi-bin/oa/schedule/add")) == 1


def test_a_throttled_call_is_retried_without_a_second_schedule(
    schedules: WeComCalendarStandIn, invited: Any, organiser: Any
) -> None:
    schedules.fail_next("cgi-bin/oa/schedule/update", {"errcode": 45009, "errmsg": "freq"})
    invites.send_invitations(invited, actor=organiser, to="all")
    Worker().run_once(with_jobs=False)
    request = OutboxMessage.objects.get(event=CALENDAR_EVENT)
    assert request.status == Status.FAILED
    assert request.attempts_log.get().response_code == "45009"

    work()
    [schedule] = schedules.schedules.values()
    assert schedule["attendees"] == {"zhangsan", "lisi"}
    assert len(schedules.calls("cgi-bin/oa/schedule/add")) == 1
    assert CalendarEvent.objects.get(meeting=invited).attendees == ["lisi", "zhangsan"]
