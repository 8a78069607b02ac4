"""The API contract of /lessons, /improvements and /cases: shapes, codes, personas, one error shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return body["error"]


def test_lessons_api_write_read_filter_and_counts(api_as, meeting, organiser, member, outsider):
    api = api_as(organiser)
    created = api.post(
        "/api/v1/lessons",
        {
            "meeting_id": meeting.pk,
            "phase": "running",
            "category": "tech",
            "effect": "negative",
            "what_happened": "投影仪无法投屏",
            "cause": "未联调",
            "source": "evaluation",
        },
    )
    assert created.status_code == 201
    lesson = created.json()
    assert lesson["meeting_id"] == meeting.pk and lesson["source"] == "evaluation"
    assert AuditEntry.objects.filter(action="improvement.lesson.recorded").count() == 1
    listing = api_as(member).get("/api/v1/lessons", category="tech")
    assert [x["id"] for x in listing.json()["items"]] == [lesson["id"]]
    counts = {c["category"]: c for c in api_as(member).get("/api/v1/lessons/counts").json()}
    assert counts["tech"]["problems"] == 1
    _error(
        api_as(member).post("/api/v1/lessons", {**lesson, "meeting_id": meeting.pk}),
        403,
        "forbidden",
    )
    _error(
        api_as(outsider).patch(f"/api/v1/lessons/{lesson['id']}", {"effect": "positive"}),
        403,
        "forbidden",
    )
    _error(api_as(organiser).post("/api/v1/lessons", {"phase": "x"}), 422, "invalid_input")


def test_confidential_lessons_are_404_through_the_api(
    api_as, secret_meeting, organiser, outsider, add_lesson
):
    lesson = add_lesson(secret_meeting)
    _error(api_as(outsider).get(f"/api/v1/lessons/{lesson.pk}"), 404, "not_found")
    assert api_as(outsider).get("/api/v1/lessons").json()["items"] == []
    assert api_as(organiser).get(f"/api/v1/lessons/{lesson.pk}").status_code == 200
    body = {
        "meeting_id": secret_meeting.pk,
        "phase": "running",
        "category": "tech",
        "effect": "negative",
        "what_happened": "x",
    }
    _error(api_as(outsider).post("/api/v1/lessons", body), 404, "not_found")


def test_measure_api_lifecycle(api_as, meeting, organiser, member, leader, add_lesson):
    lesson = add_lesson(meeting)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    created = api_as(organiser).post(
        "/api/v1/improvements",
        {
            "title": "联调演示电脑",
            "lesson_ids": [lesson.pk],
            "owner_id": member.pk,
            "due_date": due,
        },
    )
    assert created.status_code == 201
    measure = created.json()
    assert (measure["meeting_id"], measure["lesson_ids"], measure["status"]) == (
        meeting.pk,
        [lesson.pk],
        "planned",
    )
    mid = measure["id"]
    assert (
        api_as(member).post(f"/api/v1/improvements/{mid}/start").json()["status"] == "in_progress"
    )
    _error(
        api_as(leader).post(f"/api/v1/improvements/{mid}/review", {"effectiveness": "effective"}),
        409,
        "measure_state",
    )
    done = api_as(member).post(f"/api/v1/improvements/{mid}/complete", {"result_note": "完成"})
    assert done.json()["status"] == "done"
    _error(
        api_as(member).post(f"/api/v1/improvements/{mid}/review", {"effectiveness": "effective"}),
        403,
        "self_review",
    )
    reviewed = api_as(leader).post(
        f"/api/v1/improvements/{mid}/review", {"effectiveness": "effective"}
    )
    assert reviewed.json()["effectiveness"] == "effective"
    listed = api_as(member).get("/api/v1/improvements", status="done").json()["items"]
    assert [m["id"] for m in listed] == [mid]


def test_measure_api_refuses_unseen_lessons_and_outsiders(
    api_as, secret_meeting, meeting, organiser, outsider, add_lesson, add_measure
):
    secret_lesson = add_lesson(secret_meeting)
    due = timezone.localdate().isoformat()
    _error(
        api_as(outsider).post(
            "/api/v1/improvements",
            {
                "title": "x",
                "lesson_ids": [secret_lesson.pk],
                "owner_id": outsider.pk,
                "due_date": due,
            },
        ),
        404,
        "not_found",
    )
    measure = add_measure(secret_meeting)
    _error(api_as(outsider).get(f"/api/v1/improvements/{measure.pk}"), 404, "not_found")
    _error(api_as(outsider).get("/api/v1/improvements/proposals"), 403, "forbidden")


def test_case_api_nominate_approve_share_and_use(
    api_as, meeting, organiser, leader, outsider, make_meeting
):
    body = {
        "meeting_id": meeting.pk,
        "title": "总结会范例",
        "summary": "材料前置",
        "success_factors": "专人催收",
        "tags": ["总结会", "议程"],
        "submit": True,
    }
    created = api_as(organiser).post("/api/v1/cases", body)
    assert created.status_code == 201 and created.json()["tags"] == ["总结会", "议程"]
    cid = created.json()["id"]
    _error(api_as(outsider).get(f"/api/v1/cases/{cid}"), 404, "not_found")
    _error(api_as(organiser).post(f"/api/v1/cases/{cid}/approve", {}), 403, "forbidden")
    assert api_as(leader).post(f"/api/v1/cases/{cid}/approve", {}).json()["status"] == "published"
    assert [c["id"] for c in api_as(outsider).get("/api/v1/cases", tag="议程").json()["items"]] == [
        cid
    ]
    training = make_meeting(title="经验交流会", kind="training")
    assert (
        api_as(organiser)
        .post(f"/api/v1/cases/{cid}/sharing", {"meeting_id": training.pk})
        .status_code
        == 201
    )
    start = (timezone.now() + timedelta(days=20)).isoformat()
    used = api_as(organiser).post(f"/api/v1/cases/{cid}/use", {"start": start})
    assert used.status_code == 201 and used.json()["meeting_id"] != meeting.pk


def test_case_api_refuses_confidential_meetings(api_as, secret_meeting, organiser):
    body = {"meeting_id": secret_meeting.pk, "title": "x", "summary": "y", "success_factors": "z"}
    _error(api_as(organiser).post("/api/v1/cases", body), 409, "case_confidential")


def test_api_needs_a_token(api_as):
    _error(api_as(None).get("/api/v1/lessons"), 401, "not_authenticated")


def test_lesson_delete_by_author_only(api_as, meeting, organiser, member, add_lesson):
    lesson = add_lesson(meeting)
    _error(api_as(member).delete(f"/api/v1/lessons/{lesson.pk}"), 403, "forbidden")
    assert api_as(organiser).delete(f"/api/v1/lessons/{lesson.pk}").status_code == 204
    _error(api_as(organiser).get(f"/api/v1/lessons/{lesson.pk}"), 404, "not_found")
    assert AuditEntry.objects.filter(action="improvement.lesson.deleted").count() == 1
