"""The API contract: live state, start/end, timings, tickets, questions; one error shape."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_start_and_end_items_then_timings(api_as, room_meeting, items, host):
    api = api_as(host)
    base = f"/api/v1/meetings/{room_meeting.pk}"
    state = api.post(f"{base}/live/items/{items[0].pk}/start", {"expected_version": 0})
    assert state.status_code == 200, state.content
    body = state.json()
    assert body["state"] == "running" and body["current_item_id"] == items[0].pk
    assert body["version"] == 1 and body["phase"] == "normal"
    stale = api.post(f"{base}/live/next", {"expected_version": 0})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "live_state_changed"
    wrong = api.post(f"{base}/live/items/{items[1].pk}/end", {"expected_version": 1})
    assert wrong.json()["error"]["code"] == "not_current_item"
    assert (
        api.post(f"{base}/live/items/{items[0].pk}/end", {"expected_version": 1}).status_code == 200
    )
    assert api.post(f"{base}/live/end", {"expected_version": 2}).json()["state"] == "ended"
    timings = api.get(f"{base}/timings").json()
    assert [t["status"] for t in timings["items"]] == ["done", "pending", "pending"]
    assert timings["items"][0]["planned_minutes"] == 10
    assert set(timings) >= {"total_overrun_seconds", "overrun_items", "actual_start", "actual_end"}


def test_personas_on_the_api(api_as, room_meeting, items, member, outsider):
    from meetops.meetings.models import Meeting

    Meeting.objects.filter(pk=room_meeting.pk).update(confidentiality="confidential")
    base = f"/api/v1/meetings/{room_meeting.pk}"
    forbidden = api_as(member).post(f"{base}/live/next", {"expected_version": 0})
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    assert api_as(member).get(f"{base}/live").status_code == 200
    hidden = api_as(outsider).get(f"{base}/live")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"


def test_tickets_and_questions_through_the_api(api_as, room_meeting, member, av, host, recorder):
    base = f"/api/v1/meetings/{room_meeting.pk}"
    created = api_as(member).post(f"{base}/support-tickets", {"category": "network"})
    assert created.status_code == 201 and created.json()["room"] == "第一会议室"
    tid = created.json()["id"]
    assert api_as(av).post(f"/api/v1/support-tickets/{tid}/acknowledge").json()["status"] == (
        "acknowledged"
    )
    done = api_as(av).post(f"/api/v1/support-tickets/{tid}/resolve", {"resolution": "重启路由器"})
    assert done.json()["status"] == "resolved" and done.json()["resolution_seconds"] is not None
    bad = api_as(member).post(f"{base}/support-tickets", {"category": "coffee"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"

    asked = api_as(member).post(f"{base}/questions", {"text": "何时落实？", "anonymous": True})
    assert asked.status_code == 201
    qid = asked.json()["id"]
    assert api_as(recorder).post(f"/api/v1/questions/{qid}/vote").status_code == 201
    again = api_as(recorder).post(f"/api/v1/questions/{qid}/vote")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_voted"
    listed = api_as(av).get(f"{base}/questions").json()
    assert listed[0]["votes"] == 1 and listed[0]["author_id"] is None  # anonymous to others
    assert api_as(host).get(f"{base}/questions").json()[0]["author_id"] == member.pk
    assert api_as(host).post(f"/api/v1/questions/{qid}/answered").json()["status"] == "answered"


def test_two_hosts_pressing_next_at_once_advance_one_item(
    api_as, room_meeting, items, host, organiser
):
    """Both consoles show version 1; the first press wins, the second is told the state moved."""
    base = f"/api/v1/meetings/{room_meeting.pk}"
    api_as(host).post(f"{base}/live/items/{items[0].pk}/start", {"expected_version": 0})
    first = api_as(host).post(f"{base}/live/next", {"expected_version": 1})
    second = api_as(organiser).post(f"{base}/live/next", {"expected_version": 1})
    assert first.status_code == 200 and first.json()["current_item_id"] == items[1].pk
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "live_state_changed"
    assert second.json()["error"]["details"]["version"] == 2
    assert api_as(host).get(f"{base}/live").json()["current_item_id"] == items[1].pk


def test_every_live_move_requires_the_version(api_as, room_meeting, items, host):
    """Without the version a move could not tell a stale console from a fresh one: 422."""
    base = f"/api/v1/meetings/{room_meeting.pk}"
    api = api_as(host)
    paths = [f"{base}/live/items/{items[0].pk}/{a}" for a in ("start", "end")]
    paths += [f"{base}/live/{a}" for a in ("next", "pause", "resume", "end")]
    for path in paths:
        missing = api.post(path, {})
        assert missing.status_code == 422, path
        assert missing.json()["error"]["code"] == "invalid_input", path
    assert api.get(f"{base}/live").json()["version"] == 0


def test_the_openapi_document_requires_the_version_of_every_move(client):
    """Generated from the document: any operation taking `expected_version` must require it."""
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    found = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            schema = schemas.get(ref.rsplit("/", 1)[-1], {})
            if "expected_version" in schema.get("properties", {}):
                found.append((method, path))
                assert "expected_version" in schema.get("required", []), (method, path)
    assert len(found) == 2  # live/items/{id}/{action} and live/{action}
