"""Pages: personas, the register's query count, the printable plan in Chinese, the meeting page link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.risks import services
from meetops.risks.models import Risk, RiskEvent

pytestmark = pytest.mark.django_db


def test_register_page_personas(client, organiser, member, outsider, make_meeting, add_risk):
    meeting = make_meeting(title="内部会议")
    add_risk(meeting, description="停电风险", likelihood=4, impact=4)
    url = reverse("risk_register", args=[meeting.pk])
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert "停电风险" in page and 'id="risk-form"' in page and "unanswered" in page
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "停电风险" in page and 'id="risk-form"' not in page
    assert client.post(url, {"description": "x"}).status_code == 403
    assert client.post(reverse("risk_starters", args=[meeting.pk])).status_code == 403
    secret = make_meeting(title="保密会议", confidentiality="confidential")
    client.force_login(outsider)
    for name in (
        "risk_register",
        "emergency_plan",
        "emergency_plan_print",
        "readiness",
        "risk_events",
    ):
        assert client.get(reverse(name, args=[secret.pk])).status_code == 404


def test_organiser_adds_edits_and_pulls_in_starters(client, organiser, meeting):
    client.force_login(organiser)
    url = reverse("risk_register", args=[meeting.pk])
    form = {
        "phase": "running",
        "category": "weather",
        "description": "台风",
        "likelihood": 3,
        "impact": 5,
        "status": "open",
    }
    assert client.post(url, form).status_code == 302
    risk = Risk.objects.get(description="台风")
    assert risk.level == "critical"
    edit = reverse("risk_edit", args=[meeting.pk, risk.pk])
    client.post(edit, {**form, "impact": 1, "response": "改线上"})
    risk.refresh_from_db()
    assert risk.level == "low" and risk.response == "改线上"
    client.post(reverse("risk_starters", args=[meeting.pk]))
    assert Risk.objects.filter(meeting=meeting).count() > 1


def test_register_query_count_does_not_grow(
    client, organiser, meeting, add_risk, django_assert_max_num_queries
):
    client.force_login(organiser)
    url = reverse("risk_register", args=[meeting.pk])
    add_risk(meeting, owner=organiser)
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for i in range(15):
        add_risk(meeting, description=f"风险{i}", owner=organiser)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_plan_pages_approval_and_print_in_chinese(client, organiser, make_user, meeting):
    leader = make_user("leader", roles=("leader",))
    client.force_login(organiser)
    url = reverse("emergency_plan", args=[meeting.pk])
    client.post(
        url,
        {
            "duty_contacts": "王主任 13800000000",
            "evacuation": "东侧楼梯",
            "medical": "校医院",
            "power_av": "备用发电机",
            "security": "保卫处",
        },
    )
    client.post(reverse("emergency_plan_action", args=[meeting.pk, "submit"]))
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert 'id="plan-decision"' in page
    client.post(reverse("emergency_plan_action", args=[meeting.pk, "approve"]), {"note": "同意"})
    meeting.emergency_plan.refresh_from_db()
    assert meeting.emergency_plan.status == "approved"
    printed = client.get(reverse("emergency_plan_print", args=[meeting.pk])).content.decode()
    assert (
        "王主任 13800000000" in printed and "应急预案" in printed and "疏散路线和集合点" in printed
    )
    assert '<html lang="zh-hans"' in printed


def test_readiness_page_checks_and_events_page(client, organiser, member, meeting):
    client.force_login(organiser)
    client.post(
        reverse("readiness_add_item", args=[meeting.pk]), {"label": "茶水准备", "required": "on"}
    )
    page = client.get(reverse("readiness", args=[meeting.pk])).content.decode()
    assert "茶水准备" in page and 'data-item="plan_approved"' in page
    code = meeting.readiness_checks.get().code
    client.post(reverse("readiness_check", args=[meeting.pk, code]), {"ok": "on", "note": "已备好"})
    assert meeting.readiness_checks.get().ok
    refused = client.post(
        reverse("readiness_sign", args=[meeting.pk]), follow=True
    ).content.decode()
    assert 'class="flash error"' in refused
    client.post(
        reverse("risk_events", args=[meeting.pk]),
        {
            "level": "medium",
            "occurred_at": "2026-11-25T10:00",
            "cause": "投影仪过热",
            "handling": "更换",
            "lessons": "会前预热",
        },
    )
    assert RiskEvent.objects.get().lessons == "会前预热"
    client.force_login(member)
    assert client.post(reverse("risk_events", args=[meeting.pk]), {"cause": "x"}).status_code == 403
    assert (
        client.post(reverse("readiness_check", args=[meeting.pk, code]), {"ok": "on"}).status_code
        == 403
    )


def test_meeting_page_links_to_risks(client, organiser, meeting):
    client.force_login(organiser)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("risk_register", args=[meeting.pk]) in page
    assert reverse("readiness", args=[meeting.pk]) in page
    assert services  # the services module imports cleanly with the page


def test_readiness_query_count_does_not_grow(
    client, organiser, meeting, django_assert_max_num_queries
):
    client.force_login(organiser)
    url = reverse("readiness", args=[meeting.pk])
    item = services.add_readiness_item(meeting, actor=organiser, label="桌牌")
    services.check_item(meeting, item.code, actor=organiser)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(10):
        added = services.add_readiness_item(meeting, actor=organiser, label=f"物资{i}")
        services.check_item(meeting, added.code, actor=organiser, note="齐")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "物资9" in client.get(url).content.decode()
