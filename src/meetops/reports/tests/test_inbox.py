""" "Waiting for me" lists what awaits the user from each source, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.minutes import services as minutes_services
from meetops.reports import services
from meetops.reports.inbox import waiting_for
from meetops.risks import services as risk_services
from meetops.risks.selectors import plan_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(submitted, written, recorder, organiser, leader):
    """A report submitted to `leader`, minutes submitted to the host, an emergency plan submitted."""
    minutes_services.submit_minutes(written, actor=recorder)
    meeting = written.meeting
    plan = plan_of(meeting, language="zh-hans")
    fields = {
        k: getattr(plan, k)
        for k in ("duty_contacts", "evacuation", "medical", "power_av", "security")
    }
    risk_services.save_plan(meeting, actor=organiser, sections=fields)
    risk_services.submit_plan(meeting, actor=organiser)
    return meeting


def test_each_source_lands_with_the_right_person(everything, leader, host, member, outsider):
    assert {i.kind for i in waiting_for(leader)} == {"report", "emergency_plan"}
    assert [i.kind for i in waiting_for(host)] == ["minutes"]
    # The member owns the meeting's action item: theirs to do (ADR 0021), nothing to decide.
    assert [i.kind for i in waiting_for(member)] == ["action"]
    assert waiting_for(outsider) == []


def test_the_inbox_page_has_a_pinned_query_count(
    client, everything, leader, make_meeting, organiser, leader2, django_assert_num_queries
):
    # A second meeting's report: the page's query count must not grow with the rows.
    other = make_meeting(title="第二次会议")
    services.save_report(other, actor=organiser, fields={"title": "报告", "topics": "议题"})
    services.submit_report(other.summary_report, actor=organiser, leaders=[leader])
    client.force_login(leader)
    # Session, user, the user's roles (read once for every source), then one query per source
    # (invitations to answer, reports, minutes, plans, security plans, budgets with
    # settlements, follow-up escalations, follow-up acceptances, own action items, archive
    # destructions, submitted cases, pending room bookings), and the leader's roles on the
    # meetings of the decision sources with rows, read once for all of them (two meetings
    # here). 15 before ADR 0021's amendment of 2026-12-07, 19 after it (one person's inbox
    # is the batch of one), 16 since the second note of that amendment.
    with django_assert_num_queries(16):
        response = client.get(reverse("approvals"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-kind="report"') == 2
    assert page.count('data-kind="emergency_plan"') == 1
    assert "待批示的总结报告" in page and "第二次会议" in page


def test_budgets_and_settlements_wait_for_leaders_not_for_their_submitter(
    make_meeting, organiser, leader, leader2, member
):
    from meetops.budget import services as budget_services

    first = make_meeting(title="预算会议")
    budget_services.save_budget(
        first, actor=organiser, lines=[{"category": "venue", "planned": "1000.00"}]
    )
    budget_services.submit_budget(first, actor=organiser)
    second = make_meeting(title="结算会议")
    budget_services.save_budget(
        second, actor=organiser, lines=[{"category": "catering", "planned": "500.00"}]
    )
    budget_services.submit_budget(second, actor=organiser)
    budget_services.approve_budget(second, actor=leader)
    budget_services.submit_settlement(second, actor=organiser)

    waiting = {(i.kind, i.meeting.title, i.url) for i in waiting_for(leader2)}
    assert waiting == {
        ("budget", "预算会议", f"/meetings/{first.pk}/budget/"),
        ("settlement", "结算会议", f"/meetings/{second.pk}/budget/statement/"),
    }
    assert waiting_for(organiser) == []  # the submitter is not asked to approve their own
    assert waiting_for(member) == []

    budget_services.approve_budget(first, actor=leader2)
    budget_services.approve_settlement(second, actor=leader2)
    assert waiting_for(leader) == []
