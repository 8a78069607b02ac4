"""P2.7: an announcement reaches, once, people who join its audience after it was published,
while its meeting is still to come (people, identity and invitations send `people_joined`;
promotion listens)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from meetops.identity.models import ExternalDepartment
from meetops.identity.providers import DepartmentAttributes as D
from meetops.identity.providers import Kind
from meetops.identity.providers import PersonAttributes as P
from meetops.identity.sync import start_sync
from meetops.identity.testing import FakeProvider
from meetops.meetings.models import Meeting
from meetops.notifications.models import OutboxMessage
from meetops.people.models import Department, User
from meetops.people.services import create_user
from meetops.promotion.models import Recipient
from meetops.promotion.services import reach_late_joiner

pytestmark = pytest.mark.django_db

TREE = [
    D("root", "学校"),
    D("jw", "教务处", parent_id="root"),
    D("zl", "教学质量科", parent_id="jw"),
]
TREE += [D("xx", "信息中心", parent_id="root")]
ZHANG = P("u1", "zhangsan", "张三", email="zs@x.cn", department_ids=("jw",))
ZHAO = P("u3", "zhaoliu", "赵六", email="zl@x.cn", department_ids=("xx",))


def directory(*people: P) -> FakeProvider:
    return FakeProvider("corp", kind=Kind.DIRECTORY, people=people, departments=TREE)


def dept(ext_id: str) -> Department:
    return ExternalDepartment.objects.get(provider="corp", external_id=ext_id).department


def told(username: str) -> list[tuple[int, str]]:
    rows = OutboxMessage.objects.filter(event="promotion.announcement", user__username=username)
    return sorted((int(m.url.split("/")[2]), m.channel) for m in rows)


@pytest.fixture
def synced(admin_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        start_sync(directory(ZHANG, ZHAO), actor=admin_user)


def test_people_who_join_a_department_later_are_told_once(
    synced: None,
    admin_user: Any,
    announce: Callable[..., Any],
    meeting: Meeting,
    django_capture_on_commit_callbacks: Any,
) -> None:
    announcement = announce(meeting, departments=[dept("jw")])
    a = announcement.pk
    assert told("zhangsan") == [(a, "email"), (a, "inapp")] and told("zhaoliu") == []

    # A new account in a department below the audience, through the people service.
    with django_capture_on_commit_callbacks(execute=True):
        create_user(username="qianqi", actor=admin_user, email="qq@x.cn", department=dept("zl"))
    assert told("qianqi") == [(a, "email"), (a, "inapp")]
    recipient = Recipient.objects.get(announcement=announcement, user__username="qianqi")
    assert recipient.via == f"department:{dept('jw').pk}"

    # The directory moves 赵六 into 教务处 and brings a newcomer into 教学质量科.
    moved = replace(ZHAO, department_ids=("jw",))
    newcomer = P("u4", "sunba", "孙八", email="sb@x.cn", department_ids=("zl",))
    with django_capture_on_commit_callbacks(execute=True):
        start_sync(directory(ZHANG, moved, newcomer), actor=admin_user)
    assert told("zhaoliu") == [(a, "email"), (a, "inapp")]
    assert told("sunba") == [(a, "email"), (a, "inapp")]
    assert told("zhangsan") == [(a, "email"), (a, "inapp")]  # already told: nothing more

    # The same directory again: nobody hears anything twice.
    messages = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        start_sync(directory(ZHANG, moved, newcomer), actor=admin_user)
    assert OutboxMessage.objects.count() == messages
    assert Recipient.objects.filter(announcement=announcement).count() == 4
    # However often it is asked, as the receiver may be (a group saved again, a retry).
    assert reach_late_joiner(User.objects.get(username="sunba")) == 0
    assert OutboxMessage.objects.count() == messages


def test_no_message_for_a_meeting_that_ended_or_was_cancelled(
    synced: None,
    admin_user: Any,
    announce: Callable[..., Any],
    meeting: Meeting,
    make_meeting: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    other = make_meeting(title="招生工作会议", confidentiality="internal")
    ended, cancelled = (
        announce(meeting, departments=[dept("jw")]),
        announce(other, departments=[dept("jw")]),
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=1)
    )
    Meeting.objects.filter(pk=other.pk).update(stage="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        create_user(username="qianqi", actor=admin_user, email="qq@x.cn", department=dept("zl"))
    assert told("qianqi") == []
    assert not Recipient.objects.filter(
        announcement__in=[ended, cancelled], user__username="qianqi"
    )


def test_people_added_to_a_group_later_are_told_once(
    announce: Callable[..., Any],
    meeting: Meeting,
    group: Any,
    people: dict[str, Any],
    organiser: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from meetops.invitations.services.groups import add_group_members

    a = announce(meeting, groups=[group]).pk
    assert told("zhang") == []
    with django_capture_on_commit_callbacks(execute=True):
        add_group_members(group, actor=organiser, users=[people["zhang"]])
    assert told("zhang") == [(a, "email"), (a, "inapp")]
    assert (
        User.objects.get(username="zhang").announcements_received.get().via == f"group:{group.pk}"
    )
