"""The agenda API contract: shapes, replace semantics, errors and who may do what."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from meetops.agenda import services
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole

pytestmark = pytest.mark.django_db


def _url(meeting, tail="agenda"):
    return f"/api/v1/meetings/{meeting.pk}/{tail}"


def test_put_then_get_returns_the_contract_shape(api_as, organiser, meeting, make_user, nine_am):
    speaker = make_user("speaker", display_name="张教授")
    response = api_as(organiser).put(
        _url(meeting),
        {
            "items": [
                {"title": "开场致辞", "presenter": "主持人", "duration_minutes": 10},
                {
                    "title": "工作报告",
                    "presenter_user_id": speaker.pk,
                    "duration_minutes": 50,
                    "room": "第一会议室",
                    "is_public": True,
                    "materials_note": "会前下发",
                },
            ]
        },
    )
    assert response.status_code == 200, response.content
    body = api_as(organiser).get(_url(meeting)).json()
    assert body["warnings"] == []
    first, second = body["items"]
    assert set(first) >= {
        "id",
        "title",
        "presenter",
        "presenter_user_id",
        "presenter_contact_id",
        "start",
        "end",
        "duration_minutes",
        "fixed_start",
        "room",
        "materials_url",
        "is_public",
    }
    assert (first["title"], first["presenter"], first["presenter_user_id"]) == (
        "开场致辞",
        "主持人",
        None,
    )
    assert (second["presenter"], second["presenter_user_id"]) == ("张教授", speaker.pk)
    assert second["start"] == first["end"]
    assert datetime.fromisoformat(second["start"]) == nine_am + timedelta(minutes=10)
    assert second["room"] == "第一会议室" and second["is_public"] is True


def test_writing_back_what_was_read_changes_nothing(api_as, organiser, meeting, nine_am):
    client = api_as(organiser)
    client.put(
        _url(meeting),
        {
            "items": [
                {"title": "甲", "duration_minutes": 30},
                {
                    "title": "乙",
                    "duration_minutes": 30,
                    "start": (nine_am + timedelta(hours=1)).isoformat(),
                },
            ]
        },
    )
    read = client.get(_url(meeting)).json()
    again = client.put(_url(meeting), {"items": read["items"]}).json()
    assert again["items"] == read["items"]
    assert [i["fixed_start"] for i in again["items"]] == [False, True]


def test_overrun_is_a_warning_in_the_response(api_as, organiser, meeting):
    body = (
        api_as(organiser)
        .put(_url(meeting), {"items": [{"title": "长议题", "duration_minutes": 150}]})
        .json()
    )
    assert [w["code"] for w in body["warnings"]] == ["agenda_overruns"]
    assert body["warnings"][0]["details"]["minutes_over"] == 30


def test_invalid_rows_give_422_with_row_details(api_as, organiser, meeting):
    response = api_as(organiser).put(
        _url(meeting), {"items": [{"title": "好", "duration_minutes": 5}, {"title": "坏"}]}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_agenda"
    assert (
        error["details"]["rows"][0]["index"] == 1
        and error["details"]["rows"][0]["code"] == "invalid_duration"
    )


def test_reorder_endpoint_and_stale_order(api_as, organiser, meeting, rows):
    a, b = services.replace_agenda(meeting, items=rows(30, 10), actor=organiser).items
    body = api_as(organiser).post(_url(meeting, "agenda/order"), {"ids": [b.pk, a.pk]}).json()
    assert [i["id"] for i in body["items"]] == [b.pk, a.pk]
    stale = api_as(organiser).post(_url(meeting, "agenda/order"), {"ids": [b.pk]})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "agenda_changed"


def test_personas(api_as, organiser, member, outsider, make_meeting, rows):
    internal = make_meeting(title="内部会")
    services.replace_agenda(internal, items=rows(10), actor=organiser)
    assert api_as(member).get(_url(internal)).status_code == 200
    denied = api_as(member).put(_url(internal), {"items": []})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    secret = make_meeting(title="保密会", confidentiality="confidential")
    meetings.add_participant(secret, actor=organiser, user=member)
    assert api_as(member).get(_url(secret)).status_code == 200
    for path in (_url(secret), _url(secret, "conflicts")):
        hidden = api_as(outsider).get(path)
        assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    assert api_as(outsider).put(_url(secret), {"items": []}).status_code == 404
    assert api_as(None).get(_url(internal)).status_code == 401


def test_the_meetings_router_still_answers_under_the_same_prefix(api_as, organiser, meeting):
    client = api_as(organiser)
    assert client.get(f"/api/v1/meetings/{meeting.pk}").json()["id"] == meeting.pk
    assert client.get(f"/api/v1/meetings/{meeting.pk}/steps").status_code == 200
    assert client.get(_url(meeting)).json() == {"items": [], "warnings": [], "end": None}
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/meetings/{meeting_id}/agenda", "/api/v1/meetings/{meeting_id}"} <= set(
        schema["paths"]
    )


def test_conflicts_endpoint_hides_what_the_caller_may_not_see(
    api_as, organiser, member, meeting, make_user, make_meeting, nine_am
):
    speaker = make_user("speaker", display_name="张教授")
    meetings.add_participant(meeting, actor=organiser, user=speaker, role=MeetingRole.SPEAKER)
    other = make_meeting(
        title="保密评审", start=nine_am + timedelta(minutes=30), confidentiality="confidential"
    )
    meetings.add_participant(other, actor=organiser, user=speaker)
    mine = api_as(organiser).get(_url(meeting, "conflicts")).json()["items"]
    assert mine == [
        {
            "user_id": speaker.pk,
            "name": "张教授",
            "role": "speaker",
            "other_meeting_id": other.pk,
            "other_title": "保密评审",
            "start": mine[0]["start"],
            "end": mine[0]["end"],
        }
    ]
    assert datetime.fromisoformat(mine[0]["start"]) == other.start
    theirs = api_as(member).get(_url(meeting, "conflicts")).json()["items"]
    assert (theirs[0]["other_meeting_id"], theirs[0]["other_title"]) == (None, "另一会议")


def test_materials_upload_through_the_api(api_as, organiser, member, meeting, rows, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = services.replace_agenda(meeting, items=rows(30), actor=organiser).items[0]
    url = _url(meeting, f"agenda/items/{item.pk}/materials")
    organiser_client = api_as(organiser)
    response = client.post(
        url, {"file": SimpleUploadedFile("议程.txt", b"abc")}, headers=organiser_client.headers
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["materials_url"]
        == f"/meetings/{meeting.pk}/agenda/items/{item.pk}/materials/"
    )
    member_headers = api_as(member).headers
    denied = client.post(url, {"file": SimpleUploadedFile("x.txt", b"x")}, headers=member_headers)
    assert denied.status_code == 403
    missing = client.post(
        _url(meeting, "agenda/items/999999/materials"),
        {"file": SimpleUploadedFile("x.txt", b"x")},
        headers=organiser_client.headers,
    )
    assert missing.status_code == 404
