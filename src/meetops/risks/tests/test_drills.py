"""P5.6: drills of the emergency plan are recorded with what they showed, and count in the readiness inspection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.risks import services
from meetops.risks.selectors import readiness_of

pytestmark = pytest.mark.django_db


def _drill(meeting, actor, **fields):
    values = {
        "held_at": timezone.now() - timedelta(days=2),
        "scenario": "evacuation",
        "participants": 40,
        "duration_minutes": 15,
        "outcome": "passed",
        **fields,
    }
    return services.record_drill(meeting, actor=actor, **values)


def test_a_drill_that_went_wrong_must_say_what_it_showed_and_what_changes(meeting, organiser):
    with pytest.raises(ValidationFailed) as refused:
        _drill(meeting, organiser, outcome="issues", findings="东侧疏散门被杂物堵住")
    assert refused.value.code == "invalid_drill"
    assert refused.value.details["fields"] == ["improvements"]
    with pytest.raises(ValidationFailed) as refused:
        _drill(meeting, organiser, held_at=timezone.now() + timedelta(days=1), participants=0)
    assert refused.value.details["fields"] == ["held_at", "participants"]

    drill = _drill(
        meeting,
        organiser,
        outcome="issues",
        findings="东侧疏散门被杂物堵住",
        improvements="会前一天检查疏散通道，指定专人负责",
    )
    entry = AuditEntry.objects.get(action="risks.drill.recorded")
    assert entry.data == {"drill": drill.pk, "scenario": "evacuation", "outcome": "issues"}


def test_only_those_who_manage_risks_record_drills(meeting, member, outsider):
    from meetops.meetings.services import add_participant

    add_participant(meeting, actor=meeting.created_by, user=member)
    for person in (member, outsider):
        with pytest.raises(PermissionDenied):
            _drill(meeting, person)


def test_readiness_shows_the_drill_as_an_optional_automatic_item(meeting, organiser):
    item = readiness_of(meeting).item("drill_held")
    assert item is not None and item.automatic and not item.required
    assert item.evidence is False
    _drill(meeting, organiser, outcome="failed", findings="广播听不清", improvements="更换扩音设备")
    assert (
        readiness_of(meeting).item("drill_held").evidence is False
    )  # a failed drill proves nothing
    _drill(meeting, organiser)
    assert readiness_of(meeting).item("drill_held").evidence is True
    assert "drill_held" not in readiness_of(meeting).missing  # optional: never blocks


def test_the_page_keeps_what_was_typed_when_refused(client, meeting, organiser, member):
    url = reverse("risk_drills", args=[meeting.pk])
    client.force_login(organiser)
    form = {
        "held_at": (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "scenario": "medical",
        "participants": 12,
        "duration_minutes": 20,
        "outcome": "issues",
        "findings": "急救箱过期",
        "improvements": "",
    }
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    page = response.content.decode()
    assert "急救箱过期" in page and "演练" in page
    form["improvements"] = "每季度检查急救箱"
    response = client.post(url, form, follow=True)
    page = response.content.decode()
    assert "急救箱过期" in page and "每季度检查急救箱" in page

    client.force_login(member)  # sees the internal meeting, may not record drills
    page = client.get(url).content.decode()
    assert "急救箱过期" in page and "记录一次演练" not in page
    assert client.post(url, form).status_code == 403


def test_the_api_records_and_lists_drills(api_as, meeting, organiser):
    api = api_as(organiser)
    held = (timezone.now() - timedelta(days=1)).isoformat()
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/drills",
        {
            "held_at": held,
            "scenario": "power_av",
            "participants": 8,
            "duration_minutes": 10,
            "outcome": "failed",
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_drill"
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/drills",
        {
            "held_at": held,
            "scenario": "power_av",
            "participants": 8,
            "duration_minutes": 10,
            "outcome": "passed",
        },
    )
    assert response.status_code == 201 and response.json()["scenario"] == "power_av"
    listed = api.get(f"/api/v1/meetings/{meeting.pk}/drills").json()
    assert [d["outcome"] for d in listed] == ["passed"]


def test_a_refused_drill_names_each_field_and_why(meeting, organiser):
    """Issue 16, finding 8: "演练记录中有字段无效" twice; the cause was a date in the future."""
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        _drill(meeting, organiser, held_at=timezone.now() + timedelta(days=1), participants=0)
    message = str(refused.value.message)
    assert message.startswith("演练记录未保存。")
    assert "演练时间：演练举行后才能记录：时间不能晚于现在。" in message
    assert "参演人数：至少须有 1 人参加。" in message
    assert "有字段无效" not in message
    assert refused.value.details["problems"][0]["field"] == "held_at"


def test_the_drill_page_puts_the_cause_beside_the_field_once(client, meeting, organiser):
    client.force_login(organiser)
    later = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("risk_drills", args=[meeting.pk]),
        {
            "held_at": later.strftime("%Y-%m-%dT%H:%M"),
            "scenario": "evacuation",
            "participants": "1,200",
            "duration_minutes": "15",
            "outcome": "passed",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count("时间不能晚于现在") == 1
    assert "有字段无效" not in page and 'value="1,200"' in page


def test_an_events_chosen_level_is_kept_and_a_blank_one_takes_the_risks(
    client, meeting, organiser, add_risk
):
    """Issue 16, finding 4: the level chosen for an event was silently replaced by the risk's."""
    from meetops.risks.models import RiskEvent

    risk = add_risk(meeting, likelihood=1, impact=1)
    assert risk.level == "low"
    chosen = services.record_risk_event(
        meeting,
        actor=organiser,
        occurred_at=timezone.now(),
        cause="主投影仪烧毁",
        handling="启用备用投影",
        risk=risk,
        level="high",
    )
    assert chosen.level == "high"
    blank = services.record_risk_event(
        meeting, actor=organiser, occurred_at=timezone.now(), cause="x", handling="y", risk=risk
    )
    assert blank.level == "low"
    client.force_login(organiser)
    response = client.post(
        reverse("risk_events", args=[meeting.pk]),
        {
            "risk": risk.pk,
            "level": "critical",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "cause": "停电",
            "handling": "备用电源",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 302
    assert RiskEvent.objects.order_by("-id").first().level == "critical"
    assert "事件已记录。" in client.get(response.url).content.decode()
