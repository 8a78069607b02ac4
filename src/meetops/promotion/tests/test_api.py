"""The announcements API: publish, list, read with reach; one error shape; in the schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetops.promotion.tests.conftest import deliver


def test_organiser_publishes_lists_and_reads_the_reach(
    api_as: Callable[..., Any], meeting: Any, departments: dict[str, Any], group: Any
) -> None:
    api = api_as(meeting.created_by)
    body = {
        "title": "教学工作会议通知",
        "text": "请准时参加。",
        "departments": [departments["academic"].pk],
        "groups": [group.pk],
        "channels": ["inapp"],
    }
    response = api.post(f"/api/v1/meetings/{meeting.pk}/announcements", body)
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["reach"]["recipients"] == 3 and made["reach"]["delivered"] == 0
    assert made["departments"] == [departments["academic"].pk] and made["channels"] == ["inapp"]

    listed = api.get(f"/api/v1/meetings/{meeting.pk}/announcements").json()
    assert [a["id"] for a in listed] == [made["id"]]

    deliver()
    reach = api.get(f"/api/v1/announcements/{made['id']}").json()["reach"]
    assert reach["delivered"] == 3 and reach["channels"] == [
        {"channel": "inapp", "sent": 3, "waiting": 0, "failed": 0}
    ]


def test_refusals_leave_in_the_one_error_shape(
    api_as: Callable[..., Any],
    meeting: Any,
    departments: dict[str, Any],
    member: Any,
    outsider: Any,
) -> None:
    url = f"/api/v1/meetings/{meeting.pk}/announcements"
    body = {
        "title": "通知",
        "text": "内容",
        "departments": [departments["exams"].pk],
        "channels": ["inapp"],
    }

    response = api_as(meeting.created_by).post(url, {**body, "channels": []})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_channel"
    assert response.json()["error"]["details"]["field"] == "channels"

    response = api_as(meeting.created_by).post(url, {**body, "departments": [999999]})
    assert response.status_code == 422 and response.json()["error"]["code"] == "unknown_reference"

    response = api_as(member).post(url, body)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert api_as(member).get(url).status_code == 403


def test_a_reader_told_of_it_does_not_read_the_reach(
    api_as: Callable[..., Any],
    announce: Callable[..., Any],
    meeting: Any,
    departments: Any,
    people: Any,
) -> None:
    announcement = announce(meeting, departments=[departments["exams"]])
    response = api_as(people["li"]).get(f"/api/v1/announcements/{announcement.pk}")
    assert response.status_code == 403
    assert api_as(people["li"]).get("/api/v1/announcements/999999").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/meetings/{meeting_id}/announcements"]
    assert "get" in paths["/api/v1/meetings/{meeting_id}/announcements"]
    assert "reach" in str(paths["/api/v1/announcements/{announcement_id}"]["get"])
