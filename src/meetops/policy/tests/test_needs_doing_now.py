"""What needs doing now (issue 16, finding 14): the open required steps of the meeting's
current stage, with their owners and what the reader may do, first on the meeting page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole
from meetops.policy import services
from meetops.policy.models import StepStatus
from meetops.policy.selectors import needs_doing_now

pytestmark = pytest.mark.django_db


def test_a_draft_needs_its_plan_from_the_organiser(make_meeting, organiser, member):
    meeting = make_meeting()  # no goals, no place: P2.1 is open
    now = needs_doing_now(meeting, organiser)
    assert [n.step.clause for n in now] == ["P2.1"]
    assert now[0].owners == [meetings_name(meeting, organiser)]
    assert now[0].step.can_complete is True
    meetings.add_participant(meeting, actor=organiser, user=member, role=MeetingRole.PARTICIPANT)
    assert needs_doing_now(meeting, member)[0].step.can_complete is False


def test_only_open_required_steps_of_the_current_stage_in_process_order(make_meeting, organiser):
    meeting = make_meeting(goals="定目标", location="一号楼")
    meetings.transition_meeting(meeting, to="preparing", actor=organiser)
    meeting.refresh_from_db()
    now = needs_doing_now(meeting, organiser)
    open_required = list(
        meeting.steps.filter(stage="preparing", required=True, status=StepStatus.OPEN)
        .order_by("order", "id")
        .values_list("clause", flat=True)
    )
    assert [n.step.clause for n in now] == open_required and "P2.1" not in open_required
    first = now[0].step
    services.waive_step(first, actor=organiser, reason="不适用")
    assert first.clause not in [n.step.clause for n in needs_doing_now(meeting, organiser)]


def test_a_step_with_nobody_in_its_role_says_so(make_meeting, organiser):
    meeting = make_meeting(goals="定目标", location="一号楼")
    meetings.transition_meeting(meeting, to="preparing", actor=organiser)
    meeting.refresh_from_db()
    hosts = [n for n in needs_doing_now(meeting, organiser) if n.step.owner_role == "host"]
    for n in hosts:
        assert n.owners == [] and n.role == str(MeetingRole.HOST.label)


def test_nothing_is_needed_of_a_cancelled_meeting(make_meeting, organiser):
    meeting = make_meeting()
    meetings.transition_meeting(meeting, to="cancelled", actor=organiser)
    meeting.refresh_from_db()
    assert needs_doing_now(meeting, organiser) == []


def test_the_page_shows_essentials_then_now_then_areas_and_marks_done_in_one_tap(
    client, make_meeting, organiser
):
    meeting = make_meeting(title="方案会")
    client.force_login(organiser)
    url = reverse("meeting_detail", args=[meeting.pk])
    page = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert page.index('id="essentials"') < page.index('id="now"') < page.index('id="areas"')
    assert page.index('id="areas"') < page.index('id="process"')
    # The stage's own area is open, the others one tap away.
    assert '<details class="card area" data-area="prepare" open>' in page
    assert '<details class="card area" data-area="after">' in page
    assert "现在要做" in page and 'data-clause="P2.1"' in page
    step = meeting.steps.get(clause="P2.1")
    done = client.post(
        reverse("step_complete", args=[meeting.pk, step.pk]), headers={"hx-request": "true"}
    )
    assert done.status_code == 200
    assert 'id="now-none"' in done.content.decode()
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.completed_by == organiser


def meetings_name(meeting, user):  # type: ignore[no-untyped-def]
    return meeting.participants.get(user=user).display_name
