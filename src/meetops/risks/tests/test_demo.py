"""The demo: P2.9 of demo meetings completes from a plan a leader approved."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_meetings_have_approved_emergency_plans():
    from meetops.core.demo import load_demo
    from meetops.policy.services import effective_status
    from meetops.risks.models import EmergencyPlan

    load_demo()
    approved = EmergencyPlan.objects.filter(status="approved").select_related(
        "meeting", "decided_by"
    )
    assert approved.exists()
    for plan in approved:
        assert plan.decided_by.has_role("leader") and "120" in plan.medical
        step = plan.meeting.steps.get(clause="P2.9")
        assert effective_status(step) == "done"


def test_the_visit_has_an_approved_security_plan_that_completes_p37(client):
    from meetops.core.demo import load_demo
    from meetops.meetings.models import Meeting
    from meetops.people.models import User
    from meetops.policy.services import effective_status
    from meetops.risks.models import SecurityPlan

    load_demo()
    plan = SecurityPlan.objects.get(meeting__title="市教育局来校调研座谈会")
    assert plan.status == "approved" and plan.decided_by.has_role("leader")
    posts = list(plan.posts.prefetch_related("guards").order_by("start"))
    assert len(posts) == 2 and all(p.guards.exists() for p in posts)
    door = {e.name: e.kind for e in plan.door_list.all()}
    assert door["邓主任"] == "vip" and door["陈静"] == "normal"
    step = plan.meeting.steps.get(clause="P3.7")
    assert effective_status(step) == "done" and step.completed_by is None
    # The other demo meetings were signed off by hand: only the visit has a plan.
    assert SecurityPlan.objects.count() == 1
    assert Meeting.objects.filter(steps__clause="P3.7").exists()

    client.force_login(User.objects.get(username="wangfang"))
    page = client.get(
        f"/meetings/{plan.meeting_id}/security-plan/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "行政楼一楼贵宾室门口" in page and "邓主任" in page and "何平" in page
