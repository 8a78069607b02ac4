"""Meeting changes, cancellations and reminders become notifications, in each recipient's language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole
from meetops.notifications.models import OutboxMessage
from meetops.notifications.reminders import send_due_reminders


def _ready(meeting: Any, organiser: Any) -> Any:
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    return meeting


def test_changing_time_or_place_tells_the_participants_but_not_the_actor(
    make_meeting: Any, organiser: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _ready(make_meeting(title="党委会"), organiser)
    en = person("en", email="en@example.org", language="en")
    hant = person("hant", email="hant@example.org", language="zh-hant")
    for user in (en, hant):
        meetings.add_participant(meeting, actor=organiser, user=user, role=MeetingRole.PARTICIPANT)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(meeting, actor=organiser, location="第二会议室")
    mails = OutboxMessage.objects.filter(event="meeting.changed", channel="email")
    assert sorted(mails.values_list("address", flat=True)) == ["en@example.org", "hant@example.org"]
    assert mails.get(address="en@example.org").subject == "Changed: 党委会"
    assert mails.get(address="hant@example.org").subject == "已變更：党委会"
    assert "第二会议室" in mails.get(address="hant@example.org").body
    assert not OutboxMessage.objects.filter(user=organiser).exists()


def test_goals_only_change_notifies_nobody(
    make_meeting: Any, organiser: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _ready(make_meeting(), organiser)
    meetings.add_participant(meeting, actor=organiser, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(meeting, actor=organiser, goals="new goals")
    assert not OutboxMessage.objects.exists()


def test_cancelling_notifies_once(
    make_meeting: Any, organiser: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _ready(make_meeting(title="周例会"), organiser)
    meetings.add_participant(meeting, actor=organiser, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.transition_meeting(meeting, actor=organiser, to="cancelled", reason="改期")
    [msg] = OutboxMessage.objects.filter(event="meeting.cancelled")
    assert msg.user == member and msg.subject == "已取消：周例会"


def test_reminders_once_per_offset(make_meeting: Any, organiser: Any, person: Any) -> None:
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    meeting = _ready(make_meeting(start=start, title="周例会"), organiser)
    alice = person("alice", email="alice@example.org", language="en")
    meetings.add_participant(meeting, actor=organiser, user=alice)
    with time_machine.travel(start - timedelta(days=2), tick=False):
        assert send_due_reminders() == 0
    with time_machine.travel(start - timedelta(hours=23), tick=False):
        send_due_reminders()
        send_due_reminders()  # the job may run twice: the dedupe key holds
    assert (
        OutboxMessage.objects.filter(user=alice, event="meeting.reminder").count() == 2
    )  # e-mail + in-app
    with time_machine.travel(start - timedelta(minutes=30), tick=False):
        send_due_reminders()
    reminders = OutboxMessage.objects.filter(user=alice, event="meeting.reminder", channel="email")
    assert reminders.count() == 2
    assert reminders.first().subject.startswith("Reminder: 周例会")


def test_reminders_skip_draft_and_cancelled(make_meeting: Any, organiser: Any, member: Any) -> None:
    start = (timezone.now() + timedelta(minutes=30)).replace(microsecond=0)
    make_meeting(start=start)  # draft
    assert send_due_reminders() == 0
