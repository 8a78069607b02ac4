"""The meetings API contract: create, read, list, update, transitions, steps, errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

START = "2026-12-01T09:00:00+08:00"
END = "2026-12-01T11:00:00+08:00"


def test_me_returns_username_and_roles(api_as, organiser):
    response = api_as(organiser).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "organiser"
    assert response.json()["roles"] == ["organiser"]


def test_without_token_is_401_in_the_error_shape(api_as):
    response = api_as(None).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_create_meeting_starts_as_draft_with_steps(api_as, organiser):
    api = api_as(organiser)
    response = api.post(
        "/api/v1/meetings", {"title": "周例会", "kind": "regular", "start": START, "end": END}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "draft" and body["id"] > 0 and body["kind"] == "regular"
    steps = api.get(f"/api/v1/meetings/{body['id']}/steps").json()["items"]
    assert {s["clause"] for s in steps} >= {"P2.1", "P2.2", "P3.9", "P4.4"}
    assert all(s["status"] == "open" for s in steps)


def test_list_is_paginated_and_filtered_by_stage(api_as, organiser, make_meeting):
    make_meeting(title="A")
    make_meeting(title="B")
    api = api_as(organiser)
    body = api.get("/api/v1/meetings", stage="draft").json()
    assert body["count"] == 2 and len(body["items"]) == 2
    assert api.get("/api/v1/meetings", stage="ready").json()["count"] == 0


def test_patch_changes_only_given_fields_and_is_audited(api_as, organiser, make_meeting):
    meeting = make_meeting(title="旧标题", goals="目标")
    api = api_as(organiser)
    response = api.patch(f"/api/v1/meetings/{meeting.pk}", {"title": "新标题"})
    assert response.status_code == 200
    assert response.json()["title"] == "新标题" and response.json()["goals"] == "目标"
    entries = api.get("/api/v1/audit", object_type="meeting", object_id=str(meeting.pk)).json()[
        "items"
    ]
    assert entries[0]["action"] == "meetings.meeting.updated"
    assert entries[0]["changes"] == {"title": ["旧标题", "新标题"]}
    assert entries[0]["source"] == "api"


def test_transition_blocked_by_open_required_step_then_completed(api_as, organiser, make_meeting):
    meeting = make_meeting()
    api = api_as(organiser)
    blocked = api.post(f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing"})
    assert blocked.status_code == 409
    error = blocked.json()["error"]
    assert error["code"] == "steps_open"
    assert [s["clause"] for s in error["details"]["steps"]] == ["P2.1"]
    # The plan step completes from evidence once goals and a place are written.
    api.patch(f"/api/v1/meetings/{meeting.pk}", {"goals": "部署本周工作", "location": "三楼会议室"})
    moved = api.post(f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing"})
    assert moved.status_code == 200 and moved.json()["stage"] == "preparing"


def test_sign_off_step_then_advance(api_as, organiser, make_meeting):
    meeting = make_meeting(goals="g", location="room")
    api = api_as(organiser)
    api.post(f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing"})
    steps = api.get(f"/api/v1/meetings/{meeting.pk}/steps").json()["items"]
    p22 = next(s for s in steps if s["clause"] == "P2.2")
    done = api.post(
        f"/api/v1/meetings/{meeting.pk}/steps/{p22['id']}/complete", {"note": "已订三楼会议室"}
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = api.post(f"/api/v1/meetings/{meeting.pk}/steps/{p22['id']}/complete", {"note": "x"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "step_not_open"


def test_override_with_reason_passes_and_is_audited(api_as, organiser, make_meeting):
    meeting = make_meeting()
    api = api_as(organiser)
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/transitions",
        {"to": "preparing", "override_reason": "领导临时决定"},
    )
    assert response.status_code == 200 and response.json()["stage"] == "preparing"
    entry = api.get("/api/v1/audit", object_type="meeting", object_id=str(meeting.pk)).json()[
        "items"
    ][0]
    assert entry["action"] == "meetings.meeting.stage_overridden"
    assert entry["data"]["override_reason"] == "领导临时决定"
    assert entry["data"]["open_steps"][0]["clause"] == "P2.1"


def test_member_without_rights_gets_403_on_transition(api_as, member, make_meeting):
    meeting = make_meeting()
    response = api_as(member).post(
        f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_confidential_meeting_is_404_for_outsider(api_as, outsider, make_meeting):
    meeting = make_meeting(confidentiality="confidential")
    api = api_as(outsider)
    assert api.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    assert api.get(f"/api/v1/meetings/{meeting.pk}").json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/meetings").json()["count"] == 0
    assert (
        api.post(f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "preparing"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"title": "x", "start": START}, 422, "invalid_input"),
        ({"title": "x", "start": "not a date", "end": END}, 422, "invalid_input"),
        ({"title": "x", "start": END, "end": START}, 422, "end_before_start"),
        ({"title": "x" * 50_000, "start": START, "end": END}, 422, "invalid_input"),
        ({"title": "x", "kind": "nope", "start": START, "end": END}, 422, "unknown_kind"),
        ({"title": 12, "start": START, "end": END}, 422, "invalid_input"),
        (
            {"title": "x", "start": START, "end": END, "confidentiality": "secret"},
            422,
            "invalid_input",
        ),
        ({"title": "  ", "start": START, "end": END}, 422, "title_required"),
        (
            {"title": "x", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"},
            422,
            "naive_datetime",
        ),
    ],
)
def test_bad_create_input_gets_error_shape(api_as, organiser, payload, status, code):
    response = api_as(organiser).post("/api/v1/meetings", payload)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_broken_json_is_400_in_error_shape(api_as, organiser):
    response = api_as(organiser).post("/api/v1/meetings", raw="{not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_unknown_stage_is_422(api_as, organiser, make_meeting):
    meeting = make_meeting()
    response = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "flying"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_stage"


def test_invalid_transition_is_409(api_as, organiser, make_meeting):
    meeting = make_meeting()
    response = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/transitions", {"to": "closed"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/meetings" in response.json()["paths"]
