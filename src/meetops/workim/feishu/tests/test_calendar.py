"""Meetings into Feishu calendars (issue 12 item 6): sending invitations puts one event with
the linked invitees into the calendar; moving, inviting more, taking people off and
cancelling change that one event; retries never make a second one. Against the calendar
stand-in, over HTTP, through the outbox worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from tests.servers import feishu_standin as standin
from tests.servers.feishu_calendar_standin import FeishuCalendarStandIn
from tests.servers.feishu_standin import department, person

from meetops.identity.models import ExternalIdentity
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.meetings.models import Participant
from meetops.notifications.models import DeliveryAttempt, OutboxMessage, Status
from meetops.notifications.worker import Worker
from meetops.workim.calendars import CALENDAR_EVENT, GONE_EVENT
from meetops.workim.models import CalendarEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(settings) -> Iterator[FeishuCalendarStandIn]:
    server = FeishuCalendarStandIn(
        departments=[department("od-teach", "教务处")],
        users=[
            person("u-t1", "张老师", "od-teach"),
            person("u-t2", "陈老师", "od-teach"),
            person("u-t3", "刘老师", "od-teach"),
            person("u-boss", "王主任", "od-teach"),
        ],
    )
    settings.MEETOPS_FEISHU_API_BASE = server.base
    settings.MEETOPS_FEISHU_APP_ID = standin.APP_ID
    settings.MEETOPS_FEISHU_APP_SECRET = standin.APP_SECRET
    cache.clear()  # tokens of an earlier stand-in
    yield server
    server.close()


@pytest.fixture
def teachers(make_user):
    found = []
    for i in (1, 2, 3):
        user = make_user(f"t{i}", email=f"t{i}@example.edu.cn")
        ExternalIdentity.objects.create(user=user, provider="feishu", external_id=f"u-t{i}")
        found.append(user)
    return found


def work() -> None:
    """Run the worker until nothing is due (a failed attempt is made due again at once)."""
    for _ in range(5):
        OutboxMessage.objects.filter(status=Status.FAILED).update(next_attempt_at=timezone.now())
        Worker().run_once(with_jobs=False)


def invited_meeting(make_meeting, organiser, people, **fields):
    meeting = make_meeting(title="教学例会", location="行政楼 301", **fields)
    for user in people:
        meetings.add_participant(meeting, actor=organiser, user=user)
    invites.send_invitations(meeting, actor=organiser, to="all")
    return meeting


def the_event(calendar: FeishuCalendarStandIn) -> dict:
    [event] = calendar.events.values()
    return event


def test_sending_invitations_puts_one_event_with_the_linked_invitees_into_the_calendar(
    calendar, teachers, make_user, make_meeting, organiser
):
    unlinked = make_user("guest", email="guest@example.edu.cn")
    ExternalIdentity.objects.create(user=organiser, provider="feishu", external_id="u-boss")
    meeting = invited_meeting(make_meeting, organiser, [teachers[0], teachers[1], unlinked])
    work()

    event = the_event(calendar)
    assert event["summary"] == "教学例会"
    assert event["location"] == "行政楼 301"
    assert event["start"] == int(meeting.start.timestamp())
    assert event["end"] == int(meeting.end.timestamp())
    # The link opens the meeting in MeetOps, signing the person in through Feishu.
    assert f"/im/feishu/login/?next=%2Fmeetings%2F{meeting.pk}%2F" in event["description"]
    # The invitees linked to Feishu; not the organiser, not someone Feishu does not know.
    assert event["attendees"] == {"u-t1", "u-t2"}
    row = CalendarEvent.objects.get(meeting=meeting, platform="feishu")
    assert row.event_id in calendar.events and row.attendees == ["u-t1", "u-t2"]
    request = OutboxMessage.objects.get(event=CALENDAR_EVENT)
    assert request.status == Status.SENT and request.user is None
    assert request.attempts_log.get().response_code == "created +2"


def test_moving_the_meeting_updates_the_same_event(calendar, teachers, make_meeting, organiser):
    meeting = invited_meeting(make_meeting, organiser, teachers[:2])
    work()
    [event_id] = calendar.events

    later = meeting.start + timedelta(days=1)
    meetings.update_meeting(
        meeting, actor=organiser, start=later, end=later + timedelta(hours=1), location="礼堂"
    )
    work()

    assert list(calendar.events) == [event_id]
    event = calendar.events[event_id]
    assert event["start"] == int(later.timestamp())
    assert event["end"] == int((later + timedelta(hours=1)).timestamp())
    assert event["location"] == "礼堂"
    assert event["attendees"] == {"u-t1", "u-t2"}
    patched = [c for c in calendar.calls if c.method == "PATCH" and "calendar/" in c.path]
    assert len(patched) == 1


def test_a_change_calendars_do_not_show_calls_nothing(calendar, teachers, make_meeting, organiser):
    meeting = invited_meeting(make_meeting, organiser, teachers[:1])
    work()
    before = len(calendar.calls)
    meetings.update_meeting(meeting, actor=organiser, goals="定下期末安排")
    work()
    assert len(calendar.calls) == before


def test_cancelling_the_meeting_deletes_the_event(calendar, teachers, make_meeting, organiser):
    meeting = invited_meeting(make_meeting, organiser, teachers[:2])
    work()
    [event_id] = calendar.events

    meetings.transition_meeting(meeting, to="cancelled", actor=organiser, reason="改期")
    work()

    assert calendar.events == {} and calendar.deleted == [event_id]
    assert CalendarEvent.objects.get(meeting=meeting).event_id == ""


def test_deleting_the_meeting_deletes_the_event(calendar, teachers, make_meeting, organiser):
    meeting = invited_meeting(make_meeting, organiser, teachers[:2])
    work()
    [event_id] = calendar.events

    meeting.delete()  # the admin site's delete: its CalendarEvent row goes with it
    work()

    assert calendar.events == {} and calendar.deleted == [event_id]
    assert OutboxMessage.objects.get(event=GONE_EVENT).status == Status.SENT


def test_invitees_added_and_taken_off_later_become_and_stop_being_attendees(
    calendar, teachers, make_meeting, organiser
):
    meeting = invited_meeting(make_meeting, organiser, teachers[:2])
    work()

    meetings.add_participant(meeting, actor=organiser, user=teachers[2])
    work()
    # Added, but not yet invited: not in the calendar until the invitation goes out.
    assert the_event(calendar)["attendees"] == {"u-t1", "u-t2"}
    invites.send_invitations(meeting, actor=organiser, to="uninvited")
    work()
    assert the_event(calendar)["attendees"] == {"u-t1", "u-t2", "u-t3"}

    meetings.remove_participant(
        Participant.objects.get(meeting=meeting, user=teachers[0]), actor=organiser
    )
    work()
    assert the_event(calendar)["attendees"] == {"u-t2", "u-t3"}
    assert len(calendar.events) == 1


def test_a_retry_after_throttling_finishes_the_same_event(
    calendar, teachers, make_meeting, organiser
):
    calendar.throttle_attendees(1)
    meeting = invited_meeting(make_meeting, organiser, teachers[:2])
    Worker().run_once(with_jobs=False)

    request = OutboxMessage.objects.get(event=CALENDAR_EVENT)
    assert request.status == Status.FAILED
    [attempt] = request.attempts_log.all()
    assert attempt.outcome == DeliveryAttempt.Outcome.RETRY
    assert attempt.response_code == "99991400"
    # The event exists already; the retry must add the people to it, not make another.
    assert the_event(calendar)["attendees"] == set()

    work()
    assert len(calendar.events) == 1
    assert the_event(calendar)["attendees"] == {"u-t1", "u-t2"}
    creates = [c for c in calendar.calls if c.method == "POST" and c.path.endswith("/events")]
    assert len(creates) == 1
    assert CalendarEvent.objects.get(meeting=meeting).attendees == ["u-t1", "u-t2"]


def test_a_create_whose_answer_was_lost_is_not_made_twice(
    calendar, teachers, make_meeting, organiser
):
    meeting = invited_meeting(make_meeting, organiser, teachers[:1])
    work()
    # As if the platform made the event but its answer never reached MeetOps.
    CalendarEvent.objects.filter(meeting=meeting).update(event_id="", attendees=[])
    meetings.update_meeting(meeting, actor=organiser, location="礼堂")
    work()
    assert len(calendar.events) == 1
    assert the_event(calendar)["attendees"] == {"u-t1"}


def test_an_expired_token_is_fetched_again_once(calendar, teachers, make_meeting, organiser):
    invited_meeting(make_meeting, organiser, teachers[:1])
    calendar.expire_token_once()
    Worker().run_once(with_jobs=False)
    assert OutboxMessage.objects.get(event=CALENDAR_EVENT).status == Status.SENT
    assert len(calendar.events) == 1


def test_a_refusal_is_in_the_delivery_log_with_the_platforms_code(
    calendar, teachers, make_meeting, organiser
):
    calendar.fail_next(99991672)  # the app lacks the calendar permission
    invited_meeting(make_meeting, organiser, teachers[:1])
    Worker().run_once(with_jobs=False)

    request = OutboxMessage.objects.get(event=CALENDAR_EVENT)
    assert request.status == Status.DEAD
    assert "99991672" in request.last_error
    assert request.attempts_log.get().response_code == "99991672"
    assert calendar.events == {}


def test_switched_off_nothing_is_queued(calendar, teachers, make_meeting, organiser, settings):
    settings.MEETOPS_IM_CALENDAR = False
    invited_meeting(make_meeting, organiser, teachers[:1])
    work()
    assert not OutboxMessage.objects.filter(event=CALENDAR_EVENT).exists()
    assert calendar.events == {}
