"""The risks API: personas, error codes, the plan's approval and readiness, risk events."""

from __future__ import annotations

import pytest

from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole

pytestmark = pytest.mark.django_db


def test_risk_register_api_by_persona(api_as, organiser, member, outsider, make_meeting):
    meeting = make_meeting(title="内部会议")
    secret = make_meeting(title="保密会议", confidentiality="confidential")
    url = f"/api/v1/meetings/{meeting.pk}/risks"
    body = {
        "phase": "preparation",
        "category": "venue",
        "description": "会场漏水",
        "likelihood": 3,
        "impact": 5,
    }
    created = api_as(organiser).post(url, body)
    assert created.status_code == 201, created.content
    risk = created.json()
    assert risk["level"] == "critical" and risk["score"] == 15
    assert api_as(member).post(url, body).json()["error"]["code"] == "forbidden"
    assert [r["id"] for r in api_as(member).get(url).json()] == [risk["id"]]
    assert api_as(outsider).get(f"/api/v1/meetings/{secret.pk}/risks").status_code == 404
    patch = api_as(organiser).patch(
        f"/api/v1/risks/{risk['id']}", {"impact": 1, "owner_id": organiser.pk}
    )
    assert patch.json()["level"] == "low" and patch.json()["owner_id"] == organiser.pk
    assert api_as(member).patch(f"/api/v1/risks/{risk['id']}", {"impact": 5}).status_code == 403
    bad = api_as(organiser).patch(f"/api/v1/risks/{risk['id']}", {"likelihood": 9})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    unknown_owner = api_as(organiser).patch(f"/api/v1/risks/{risk['id']}", {"owner_id": 999999})
    assert unknown_owner.json()["error"]["code"] == "invalid_risk"


def test_plan_approval_and_readiness_api(api_as, organiser, member, make_user, make_meeting):
    leader = make_user("leader", roles=("leader",))
    meeting = make_meeting()
    base = f"/api/v1/meetings/{meeting.pk}/emergency-plan"
    template = api_as(organiser).get(base).json()
    assert template["status"] == "draft" and "120" in template["medical"]
    saved = api_as(organiser).put(
        base,
        {
            **{
                k: template[k]
                for k in ("duty_contacts", "evacuation", "medical", "power_av", "security")
            },
            "medical": "校医院 8888",
        },
    )
    assert saved.status_code == 200 and saved.json()["medical"] == "校医院 8888"
    assert api_as(member).put(base, {"medical": "x"}).status_code == 403
    assert api_as(leader).post(f"{base}/approve", {}).json()["error"]["code"] == "plan_state"
    assert api_as(organiser).post(f"{base}/submit").json()["status"] == "submitted"
    assert api_as(organiser).post(f"{base}/approve", {}).status_code == 403
    assert api_as(leader).post(f"{base}/return", {}).json()["error"]["code"] == "note_required"
    assert api_as(leader).post(f"{base}/approve", {"note": "同意"}).json()["status"] == "approved"

    readiness = api_as(member).get(f"/api/v1/meetings/{meeting.pk}/readiness").json()
    items = {i["code"]: i for i in readiness["items"]}
    assert items["plan_approved"]["evidence"] is True and not readiness["passed"]
    check = f"/api/v1/meetings/{meeting.pk}/readiness/items/plan_approved/check"
    assert api_as(member).post(check, {"note": "看过"}).status_code == 403
    checked = api_as(organiser).post(check, {"note": "领导已批"}).json()
    assert {i["code"]: i for i in checked["items"]}["plan_approved"]["ok"] is True
    room = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/readiness/items/room_booked/check", {}
    )
    assert room.status_code == 409 and room.json()["error"]["code"] == "evidence_missing"
    sign = api_as(organiser).post(f"/api/v1/meetings/{meeting.pk}/readiness/sign", {})
    assert sign.json()["error"]["code"] == "readiness_incomplete"
    assert "room_booked" in sign.json()["error"]["details"]["items"]
    staff = make_user("staffer")
    meetings.add_participant(meeting, actor=organiser, user=staff, role=MeetingRole.STAFF)
    assert api_as(staff).post(check, {"ok": True}).status_code == 200


def test_critical_risk_event_writes_outbox_rows_in_the_same_transaction(
    api_as, organiser, make_user, make_meeting
):
    from meetops.notifications.models import OutboxMessage

    owner = make_user("owner", email="owner@example.org")
    organiser.email = "organiser@example.org"
    organiser.save(update_fields=["email"])
    co = make_user("co", email="co@example.org")
    meeting = make_meeting()
    meetings.add_participant(meeting, actor=organiser, user=co, role=MeetingRole.ORGANISER)
    meetings.add_participant(meeting, actor=organiser, user=owner, role=MeetingRole.STAFF)
    risk = (
        api_as(organiser)
        .post(
            f"/api/v1/meetings/{meeting.pk}/risks",
            {
                "phase": "running",
                "category": "health",
                "description": "参会者晕倒",
                "likelihood": 5,
                "impact": 4,
                "owner_id": owner.pk,
            },
        )
        .json()
    )
    url = f"/api/v1/meetings/{meeting.pk}/risk-events"
    low = api_as(organiser).post(
        url,
        {
            "level": "low",
            "occurred_at": "2026-11-25T10:00:00+08:00",
            "cause": "话筒没电",
            "handling": "换电池",
        },
    )
    assert low.status_code == 201 and not OutboxMessage.objects.exists()
    event = api_as(organiser).post(
        url,
        {
            "risk_id": risk["id"],
            "occurred_at": "2026-11-25T10:30:00+08:00",
            "cause": "低血糖",
            "handling": "送医务室",
            "result": "已恢复",
            "lessons": "备糖果",
        },
    )
    assert event.status_code == 201 and event.json()["level"] == "critical"
    rows = OutboxMessage.objects.filter(event="risks.event.severe")
    assert {r.user_id for r in rows} == {co.pk, owner.pk}  # the organiser recorded it; not told
    assert all(r.meeting_id == meeting.pk for r in rows)
    assert [e["level"] for e in api_as(co).get(url).json()] == ["critical", "low"]


def test_outbox_rows_roll_back_with_the_event(organiser, make_user, make_meeting):
    from django.db import transaction
    from django.utils import timezone

    from meetops.notifications.models import OutboxMessage
    from meetops.risks import services
    from meetops.risks.models import RiskEvent

    meeting = make_meeting()
    co = make_user("co", email="co@example.org")
    meetings.add_participant(meeting, actor=organiser, user=co, role=MeetingRole.ORGANISER)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_risk_event(
            meeting,
            actor=organiser,
            occurred_at=timezone.now(),
            cause="停电",
            handling="启用备用电源",
            level="critical",
        )
        assert OutboxMessage.objects.filter(user=co, event="risks.event.severe").exists()
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and not RiskEvent.objects.exists()


def test_openapi_lists_the_risk_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/meetings/{meeting_id}/risks",
        "/api/v1/risks/{risk_id}",
        "/api/v1/meetings/{meeting_id}/emergency-plan/approve",
        "/api/v1/meetings/{meeting_id}/readiness/items/{item}/check",
        "/api/v1/meetings/{meeting_id}/risk-events",
    ):
        assert path in paths, path
