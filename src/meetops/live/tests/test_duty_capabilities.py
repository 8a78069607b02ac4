"""Issue 16 finding 10: security and technical duties handle tickets; recording drafts minutes."""

from __future__ import annotations

import pytest

from meetops.invitations.services import participants as people
from meetops.live import permissions as live
from meetops.live.selectors import support_people
from meetops.meetings import services as meetings
from meetops.meetings.models import DutyKind
from meetops.minutes.permissions import can_write_minutes

pytestmark = pytest.mark.django_db


def _with_duty(meeting, organiser, user, kind):
    row = meetings.add_participant(meeting, actor=organiser, user=user, role="participant")
    people.give_duties(meeting, actor=organiser, rows=[people.DutyRow(row.pk, kinds=[kind])])


def test_a_participant_on_security_duty_handles_tickets_and_hears_of_security_problems(
    room_meeting, organiser, make_user
):
    guard = make_user("baoan")
    assert not live.can_handle_tickets(guard, room_meeting)
    _with_duty(room_meeting, organiser, guard, DutyKind.SECURITY)
    assert live.can_handle_tickets(guard, room_meeting)
    assert guard in support_people(room_meeting, "security")
    assert guard not in support_people(room_meeting, "sound")


def test_a_participant_on_recording_duty_drafts_the_minutes(room_meeting, organiser, make_user):
    clerk = make_user("jilu2")
    _with_duty(room_meeting, organiser, clerk, DutyKind.LOGISTICS)
    assert not can_write_minutes(clerk, room_meeting)
    row = room_meeting.participants.get(user=clerk)
    people.give_duties(
        room_meeting,
        actor=organiser,
        rows=[people.DutyRow(row.pk, kinds=[DutyKind.RECORDING], note="协助记录")],
    )
    assert can_write_minutes(clerk, room_meeting)
