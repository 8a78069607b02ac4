"""The follow-up API: shapes, one error shape, every write authorised and audited."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.models import AuditEntry
from meetops.minutes import services as minutes_services

pytestmark = pytest.mark.django_db


def error(response: Any) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return response.status_code, body["error"]["code"]


def test_progress_comment_and_timeline(api_as, item, owner, organiser):
    created = api_as(owner).post(
        f"/api/v1/actions/{item.pk}/progress", {"percent": 30, "note": "开始"}
    )
    assert created.status_code == 201
    assert created.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "kind": "progress",
        "percent": 30,
        "note": "开始",
        "author": "owner",
        "has_attachment": False,
        "created_at": "",
    }
    assert (
        api_as(organiser).post(f"/api/v1/actions/{item.pk}/comments", {"note": "好"}).status_code
        == 201
    )
    detail = api_as(organiser).get(f"/api/v1/actions/{item.pk}/followup").json()
    assert detail["item"]["percent"] == 30 and detail["item"]["state"] == "in_progress"
    assert [u["kind"] for u in detail["updates"]] == ["comment", "progress"]
    assert AuditEntry.objects.filter(action__startswith="followup.").count() == 2


def test_errors_have_one_shape(api_as, item, owner, organiser, outsider, meeting):
    from meetops.meetings.models import Meeting

    assert error(
        api_as(organiser).post(f"/api/v1/actions/{item.pk}/progress", {"percent": 1, "note": "x"})
    ) == (403, "forbidden")
    assert (
        error(
            api_as(owner).post(f"/api/v1/actions/{item.pk}/progress", {"percent": 101, "note": "x"})
        )[0]
        == 422
    )
    assert error(
        api_as(owner).post(
            f"/api/v1/actions/{item.pk}/due-date", {"due_date": "2030-01-01", "reason": "x"}
        )
    ) == (403, "forbidden")
    assert error(api_as(organiser).post(f"/api/v1/actions/{item.pk}/accept", {"quality": 3})) == (
        409,
        "not_done",
    )
    Meeting.objects.filter(pk=meeting.pk).update(confidentiality="restricted")
    assert error(api_as(outsider).get(f"/api/v1/actions/{item.pk}/followup")) == (404, "not_found")
    assert error(api_as(None).get("/api/v1/followup/items"))[0] == 401


def test_escalate_answer_accept_return(api_as, item, owner, organiser, leader):
    raised = api_as(owner).post(
        f"/api/v1/actions/{item.pk}/escalations",
        {"kind": "coordination", "text": "需要信息中心配合", "leader_ids": [leader.pk]},
    )
    assert raised.status_code == 201 and set(raised.json()["recipient_ids"]) == {
        organiser.pk,
        leader.pk,
    }
    waiting = api_as(leader).get("/api/v1/followup/escalations").json()
    assert [e["id"] for e in waiting] == [raised.json()["id"]]
    kinds = {i["kind"] for i in api_as(leader).get("/api/v1/approvals").json()}
    assert "escalation" in kinds
    answered = api_as(leader).post(
        f"/api/v1/followup/escalations/{raised.json()['id']}/answer", {"answer": "同意"}
    )
    assert answered.json()["state"] == "answered"

    minutes_services.update_action(item, actor=owner, state="done", completion_note="完成")
    back = api_as(organiser).post(f"/api/v1/actions/{item.pk}/return", {"reason": "不完整"})
    assert back.status_code == 201 and back.json()["decision"] == "returned"
    minutes_services.update_action(item, actor=owner, state="done", completion_note="补全")
    ok = api_as(organiser).post(
        f"/api/v1/actions/{item.pk}/accept", {"quality": 5, "practice_note": "已推广"}
    )
    assert ok.status_code == 201 and ok.json()["on_time"] is True


def test_board_summary_and_cooperation(api_as, item, organiser, owner, member, departments):
    put = api_as(organiser).put(
        f"/api/v1/actions/{item.pk}/cooperating-departments",
        {"department_ids": [departments["it"].pk]},
    )
    assert put.json() == [departments["it"].pk]
    board = api_as(organiser).get("/api/v1/followup/items", state="live").json()
    assert board["counts"]["total"] == 1 and board["items"][0]["cooperating_department_ids"] == [
        departments["it"].pk
    ]
    assert error(api_as(organiser).get("/api/v1/followup/items", state="nope")) == (
        422,
        "unknown_state",
    )
    summary = api_as(organiser).get("/api/v1/followup/summary").json()
    assert summary["departments"][0]["department"] == "预算科"
    assert error(api_as(member).get("/api/v1/followup/summary")) == (403, "forbidden")
