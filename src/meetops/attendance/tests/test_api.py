"""The sign-in API: 201 then 200 for the same person, by id or by code; undo; summary; personas."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetops.attendance.models import SignIn
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole

pytestmark = pytest.mark.django_db


def test_sign_in_by_participant_then_again(api_as, desk_meeting, guest, organiser):
    meeting = desk_meeting(2)
    api = api_as(organiser)
    url = f"/api/v1/meetings/{meeting.pk}/signins"
    first = api.post(url, {"participant_id": guest(meeting, 1).pk, "note": "带了随从"})
    assert first.status_code == 201
    body = first.json()
    assert body["participant"]["name"] == "嘉宾1"
    assert (body["method"], body["late"], body["note"]) == ("desk_manual", False, "带了随从")
    again = api.post(url, {"participant_id": guest(meeting, 1).pk})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    listed = api.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["participant"]["id"] == guest(meeting, 1).pk


def test_sign_in_by_code_or_url(api_as, desk_meeting, guest, code_of, organiser, settings):
    meeting = desk_meeting(1)
    api = api_as(organiser)
    url = f"{settings.SITE_URL}/checkin/{code_of(guest(meeting, 1))}"
    response = api.post(f"/api/v1/meetings/{meeting.pk}/signins", {"code": url})
    assert response.status_code == 201 and response.json()["method"] == "qr_scan"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({}, 422, "participant_or_code"),
        ({"participant_id": 1, "code": "x"}, 422, "participant_or_code"),
        ({"code": "unknown"}, 404, "unknown_code"),
        ({"participant_id": 99999}, 404, "not_found"),
        ({"participant_id": 0}, 422, "invalid_input"),
    ],
)
def test_bad_requests(api_as, desk_meeting, organiser, payload, status, code):
    meeting = desk_meeting(1)
    response = api_as(organiser).post(f"/api/v1/meetings/{meeting.pk}/signins", payload)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_too_early_is_a_conflict(api_as, desk_meeting, guest, organiser):
    meeting = desk_meeting(1, starts_in=timedelta(days=1))
    response = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/signins", {"participant_id": guest(meeting, 1).pk}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "signin_not_open"


@pytest.mark.parametrize(
    ("persona", "status"), [("staff", 201), ("member", 403), ("outsider", 404)]
)
def test_personas(api_as, desk_meeting, guest, organiser, make_user, persona, status):
    meeting = desk_meeting(1, confidentiality="restricted")
    user = make_user(persona)
    if persona != "outsider":
        role = MeetingRole.STAFF if persona == "staff" else MeetingRole.PARTICIPANT
        meetings.add_participant(meeting, actor=organiser, user=user, role=role)
    api = api_as(user)
    url = f"/api/v1/meetings/{meeting.pk}/signins"
    response = api.post(url, {"participant_id": guest(meeting, 1).pk})
    assert response.status_code == status
    assert api.get(url).status_code == (200 if status == 201 else status)
    summary = api.get(f"/api/v1/meetings/{meeting.pk}/attendance")
    assert summary.status_code == (404 if persona == "outsider" else 200)


def test_undo_with_a_reason(api_as, desk_meeting, guest, organiser):
    meeting = desk_meeting(1)
    api = api_as(organiser)
    created = api.post(
        f"/api/v1/meetings/{meeting.pk}/signins", {"participant_id": guest(meeting, 1).pk}
    ).json()
    url = f"/api/v1/meetings/{meeting.pk}/signins/{created['id']}"
    missing = api._call("delete", url, {})
    assert missing.status_code == 422
    undone = api._call("delete", url, {"reason": "刷错了"})
    assert undone.status_code == 200
    assert undone.json()["undo_reason"] == "刷错了" and undone.json()["undone_at"]
    assert api._call("delete", url, {"reason": "x"}).json()["error"]["code"] == "already_undone"
    assert api.get(f"/api/v1/meetings/{meeting.pk}/signins").json()["count"] == 0
    history = api.get(f"/api/v1/meetings/{meeting.pk}/signins", include_undone="true").json()
    assert history["count"] == 1
    assert SignIn.objects.get().undone_by == organiser


def test_attendance_summary(api_as, desk_meeting, guest, organiser):
    meeting = desk_meeting(3, starts_in=timedelta(minutes=-10))
    api = api_as(organiser)
    api.post(f"/api/v1/meetings/{meeting.pk}/signins", {"participant_id": guest(meeting, 1).pk})
    body = api.get(f"/api/v1/meetings/{meeting.pk}/attendance").json()
    assert {k: body[k] for k in ("expected", "signed_in", "not_yet", "late", "walk_ins")} == {
        "expected": 3,
        "signed_in": 1,
        "not_yet": 2,
        "late": 1,
        "walk_ins": 0,
    }
    assert body["self_signin"] is False
