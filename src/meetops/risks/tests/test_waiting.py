""" "Waiting for me" and the plan page ask the plan's flow who decides: never its submitter."""

from __future__ import annotations

import pytest

from meetops.core.inbox import waiting_for
from meetops.risks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(make_user):
    """An organiser who is also a leader."""
    return make_user("both", roles=("organiser", "leader"))


@pytest.fixture
def submitted(make_meeting, both):
    meeting = make_meeting(actor=both, title="防汛工作会议")
    services.save_plan(meeting, actor=both, sections={"medical": "医务室 8888"})
    services.submit_plan(meeting, actor=both)
    return meeting


def test_the_leader_who_submitted_the_plan_is_not_asked_another_leader_is(
    submitted, both, leader, member
):
    assert [i.kind for i in waiting_for(both)] == []
    items = waiting_for(leader)
    assert [(i.kind, i.meeting, i.url) for i in items] == [
        ("emergency_plan", submitted, f"/meetings/{submitted.pk}/emergency-plan/")
    ]
    assert waiting_for(member) == []


def test_the_plan_page_shows_the_decision_buttons_only_to_who_may_decide(
    client, submitted, both, leader
):
    url = f"/meetings/{submitted.pk}/emergency-plan/"
    client.force_login(both)
    page = client.get(url).content.decode()
    assert 'id="plan-decision"' not in page
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert 'id="plan-decision"' in page
