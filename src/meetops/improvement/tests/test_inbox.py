""" "Waiting for me" shows submitted cases to the people who may publish them, never their own."""

from __future__ import annotations

import pytest

from meetops.core.inbox import waiting_for
from meetops.improvement.services import cases as services

pytestmark = pytest.mark.django_db

TEXTS = {"summary": "材料前置，限时汇报", "success_factors": "专人催收，主持人计时"}


@pytest.fixture
def boss(make_user):
    """A leader who also organises: may approve cases, but not the ones they propose."""
    return make_user("boss", roles=("leader", "organiser"))


def test_a_submitted_case_waits_for_the_approvers_not_its_proposer(
    make_meeting, organiser, leader, boss, member, outsider, client, api_as
):
    meeting = make_meeting(actor=boss, title="领导自己的会")
    case = services.nominate_case(
        actor=boss, meeting=meeting, title="总结会范例", submit=True, **TEXTS
    )
    assert [(i.kind, i.title) for i in waiting_for(leader)] == [("case", "总结会范例")]
    assert [i.kind for i in waiting_for(boss)] == []
    assert (
        waiting_for(member) == [] and waiting_for(outsider) == [] and waiting_for(organiser) == []
    )
    client.force_login(leader)
    page = client.get("/approvals/").content.decode()
    assert 'data-kind="case"' in page and f'href="/cases/{case.pk}/"' in page
    rows = api_as(leader).get("/api/v1/approvals").json()
    assert [(r["kind"], r["meeting_id"], r["title"]) for r in rows] == [
        ("case", meeting.pk, "总结会范例")
    ]
    services.decide_case(case, actor=leader, approve=True)
    assert waiting_for(leader) == []


def test_a_best_practice_from_elsewhere_waits_without_a_meeting(organiser, leader, api_as):
    services.nominate_case(
        actor=organiser,
        title="兄弟院校经验",
        source="某大学办公室",
        source_url="https://example.org/x",
        submit=True,
        **TEXTS,
    )
    rows = api_as(leader).get("/api/v1/approvals").json()
    assert [(r["kind"], r["meeting_id"], r["meeting_title"], r["title"]) for r in rows] == [
        ("case", None, "", "兄弟院校经验")
    ]


def test_the_case_page_shows_publish_and_return_only_to_who_may_decide(
    make_meeting, leader, boss, client
):
    meeting = make_meeting(actor=boss, title="领导自己的会")
    case = services.nominate_case(
        actor=boss, meeting=meeting, title="总结会范例", submit=True, **TEXTS
    )
    client.force_login(boss)
    assert 'id="decide-form"' not in client.get(f"/cases/{case.pk}/").content.decode()
    client.force_login(leader)
    assert 'id="decide-form"' in client.get(f"/cases/{case.pk}/").content.decode()
