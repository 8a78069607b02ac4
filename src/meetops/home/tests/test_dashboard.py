"""The dashboard: my meetings, my tasks and what needs me."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.meetings.models import MeetingRole
from meetops.meetings.services import add_participant, transition_meeting

pytestmark = pytest.mark.django_db


def _ready_for_preparing(meeting, organiser):
    transition_meeting(meeting, to="preparing", actor=organiser, override_reason="测试")


def test_dashboard_shows_my_meetings_tasks_and_what_needs_me(
    client, organiser, member, make_meeting
):
    meeting = make_meeting(title="筹备中的会议")
    add_participant(meeting, actor=organiser, user=member, role=MeetingRole.STAFF)
    _ready_for_preparing(meeting, organiser)
    # P2.4 (owned by staff) completes from the supplies checklist by default, P2.7 (the
    # organiser's) from a published announcement; as sign-off steps they are tasks here.
    meeting.steps.filter(clause__in=["P2.4", "P2.7"]).update(completion="sign_off", rule="")
    make_meeting(title="别人看不到的会", confidentiality="confidential")

    client.force_login(organiser)
    page = client.get(reverse("dashboard")).content.decode()
    # P2.9 and P2.10 complete from evidence now (risks app): the tasks are the sign-off steps.
    assert "筹备中的会议" in page and "P2.7" in page and "P2.4" in page  # manager: every open step

    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "筹备中的会议" in page
    assert "P2.4" in page  # owner role staff: theirs
    assert "P2.7" not in page  # the organiser's step
    assert "别人看不到的会" not in page


def test_what_needs_me_lists_blocked_meetings_I_manage(client, organiser, make_meeting):
    meeting = make_meeting(title="卡住的会议")
    _ready_for_preparing(meeting, organiser)
    # "Ready" still has required sign-off steps (P3.3 materials, P3.6 technical support).
    transition_meeting(meeting, to="ready", actor=organiser, override_reason="测试")
    client.force_login(organiser)
    response = client.get(reverse("dashboard"))
    blocked = response.context["blocked"]
    assert [m.title for m in blocked] == ["卡住的会议"]
    assert (
        blocked[0].open_required
        == meeting.steps.filter(stage="ready", required=True, status="open").count()
    )


def test_blocked_counts_automatic_steps_until_the_worker_finds_their_evidence(
    client, organiser, member, make_meeting
):
    from meetops.meetings.models import MeetingRole
    from meetops.policy.jobs import sync_automatic_steps

    meeting = make_meeting(title="缺主持人的会议")
    _ready_for_preparing(meeting, organiser)
    p25 = meeting.steps.get(clause="P2.5")
    assert p25.completion == "automatic" and p25.status == "open"
    client.force_login(organiser)

    def open_required() -> int:
        blocked = client.get(reverse("dashboard")).context["blocked"]
        return next(m.open_required for m in blocked if m.pk == meeting.pk)

    sync_automatic_steps()  # whatever else the data already shows
    p25.refresh_from_db()
    assert p25.status == "open"  # no host yet
    blocked_before = open_required()

    add_participant(meeting, actor=organiser, user=member, role=MeetingRole.HOST)
    assert open_required() == blocked_before  # stored status: until the worker looks
    assert sync_automatic_steps() == 1
    p25.refresh_from_db()
    assert p25.status == "done" and p25.completed_by is None  # from evidence, not a person
    assert open_required() == blocked_before - 1
    assert sync_automatic_steps() == 0  # judged once


def test_dashboard_query_count_does_not_grow(
    client, organiser, make_meeting, django_assert_max_num_queries
):
    client.force_login(organiser)
    _ready_for_preparing(make_meeting(title="一"), organiser)
    # What waits on the user is one query per inbox source (core.inbox): a constant.
    with django_assert_max_num_queries(28) as baseline:
        client.get(reverse("dashboard"))
    for i in range(6):
        _ready_for_preparing(
            make_meeting(title=f"会{i}", start=timezone.now() + timedelta(days=i + 1)), organiser
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("dashboard"))
