"""Issue 16 finding 10: what a person may do at the desk follows from their duties as well as
their role. A recorder whose duty is 协助签到台 opens the desk and registers walk-ins."""

from __future__ import annotations

import pytest

from meetops.attendance import services
from meetops.attendance.permissions import can_admit_walk_ins, can_run_desk
from meetops.core.errors import PermissionDenied
from meetops.invitations.services import participants as people
from meetops.meetings import services as meetings
from meetops.meetings.models import DutyKind, MeetingRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorder_at_desk(desk_meeting, organiser, make_user):
    """A meeting and its recorder, who was asked to help at the desk (duty kind: desk)."""
    meeting = desk_meeting(2)
    user = make_user("jilu")
    row = meetings.add_participant(
        meeting, actor=organiser, user=user, role=MeetingRole.RECORDER, duties="协助签到台"
    )
    people.give_duties(
        meeting,
        actor=organiser,
        rows=[people.DutyRow(row.pk, kinds=[DutyKind.DESK], note="协助签到台")],
    )
    return meeting, user


def test_the_desk_duty_opens_the_desk_page_with_walk_ins(client, recorder_at_desk):
    meeting, recorder = recorder_at_desk
    client.force_login(recorder)
    response = client.get(f"/meetings/{meeting.pk}/signin/")
    assert response.status_code == 200
    assert 'id="walk-in"' in response.content.decode()


def test_the_desk_duty_signs_people_in_and_registers_walk_ins(recorder_at_desk, guest):
    meeting, recorder = recorder_at_desk
    signed = services.sign_in(meeting, participant=guest(meeting, 1), actor=recorder)
    assert signed.created and signed.signin.by == recorder
    walk_in = services.admit_walk_in(meeting, actor=recorder, name="临时来宾", phone="137")
    assert walk_in.signin.walk_in and walk_in.signin.participant.name == "临时来宾"
    assert meeting.participants.filter(name="临时来宾", attendance="optional").exists()


def test_without_the_duty_the_recorder_is_refused(desk_meeting, organiser, make_user, client):
    meeting = desk_meeting(1)
    user = make_user("jilu")
    meetings.add_participant(
        meeting, actor=organiser, user=user, role=MeetingRole.RECORDER, duties="会议记录"
    )
    assert not can_run_desk(user, meeting) and not can_admit_walk_ins(user, meeting)
    with pytest.raises(PermissionDenied):
        services.admit_walk_in(meeting, actor=user, name="x")
    client.force_login(user)
    assert client.get(f"/meetings/{meeting.pk}/signin/").status_code == 403


def test_taking_the_duty_away_takes_the_desk_away(recorder_at_desk, organiser):
    meeting, recorder = recorder_at_desk
    row = meeting.participants.get(user=recorder)
    people.give_duties(meeting, actor=organiser, rows=[people.DutyRow(row.pk, kinds=[])])
    assert not can_run_desk(recorder, meeting)


def test_an_outsider_with_a_desk_duty_elsewhere_gets_nothing_here(
    recorder_at_desk, desk_meeting, outsider
):
    meeting, recorder = recorder_at_desk
    other = desk_meeting(1)
    assert not can_run_desk(recorder, other)
    assert not can_run_desk(outsider, meeting)
