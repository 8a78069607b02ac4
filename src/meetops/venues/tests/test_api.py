"""The venues API contract of issue 4: rooms, availability, bookings, suggestions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_admin_creates_a_room_with_name_and_capacity_only(api_as, admin_user):
    response = api_as(admin_user).post("/api/v1/rooms", {"name": "大会议室", "capacity": 40})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "大会议室" and body["capacity"] == 40 and body["code"].startswith("R")
    assert (
        body["facilities"] == []
        and body["requires_approval"] is False
        and body["buffer_minutes"] == 0
    )


def test_room_create_with_facilities_and_update(api_as, admin_user):
    api = api_as(admin_user)
    body = api.post(
        "/api/v1/rooms",
        {
            "name": "视频室",
            "capacity": 8,
            "facilities": ["projector", "video_conference"],
            "requires_approval": True,
            "buffer_minutes": 10,
        },
    ).json()
    assert (
        sorted(body["facilities"]) == ["projector", "video_conference"]
        and body["requires_approval"] is True
    )
    patched = api.patch(
        f"/api/v1/rooms/{body['id']}", {"capacity": 10, "facilities": ["whiteboard"]}
    )
    assert (
        patched.status_code == 200
        and patched.json()["capacity"] == 10
        and patched.json()["facilities"] == ["whiteboard"]
    )
    bad = api.post("/api/v1/rooms", {"name": "x", "capacity": 2, "facilities": ["teleporter"]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_facility"


def test_members_read_rooms_but_do_not_create(api_as, member, room):
    api = api_as(member)
    assert (
        api.post("/api/v1/rooms", {"name": "x", "capacity": 2}).json()["error"]["code"]
        == "forbidden"
    )
    assert api.get("/api/v1/rooms").json()["count"] == 1
    assert api.get(f"/api/v1/rooms/{room.pk}").json()["facilities"] == ["projector"]
    assert api.patch(f"/api/v1/rooms/{room.pk}", {"capacity": 3}).status_code == 403
    assert api.get("/api/v1/rooms/999999").status_code == 404


def test_book_then_conflict_then_availability(api_as, organiser, outsider, make_meeting, room, at):
    meeting = make_meeting()
    api = api_as(organiser)
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/bookings",
        {"room_id": room.pk, "start": at(0, 9).isoformat(), "end": at(0, 10).isoformat()},
    )
    assert response.status_code == 201, response.content
    booking = response.json()
    assert (
        set(booking) >= {"id", "room_id", "start", "end", "status"}
        and booking["status"] == "confirmed"
    )
    clash = api.post(
        f"/api/v1/meetings/{meeting.pk}/bookings",
        {"room_id": room.pk, "start": at(0, 9, 30).isoformat(), "end": at(0, 11).isoformat()},
    )
    assert clash.status_code == 409
    error = clash.json()["error"]
    assert error["code"] == "booking_conflict" and error["details"]["booking_id"] == booking["id"]
    assert error["details"]["start"] and error["details"]["end"]
    busy = (
        api_as(outsider)
        .get(
            f"/api/v1/rooms/{room.pk}/availability",
            start=at(0, 0).isoformat(),
            end=at(1, 0).isoformat(),
        )
        .json()["busy"]
    )
    assert (
        len(busy) == 1 and busy[0]["booking_id"] == booking["id"]
    )  # an internal meeting: everyone may see it
    assert api.get(f"/api/v1/bookings/{booking['id']}").json()["status"] == "confirmed"
    assert api_as(outsider).post(f"/api/v1/bookings/{booking['id']}/cancel").status_code == 403
    assert api.post(f"/api/v1/bookings/{booking['id']}/cancel").json()["status"] == "cancelled"
    assert api.get(
        f"/api/v1/rooms/{room.pk}/availability",
        start=at(0, 0).isoformat(),
        end=at(1, 0).isoformat(),
    ).json() == {"busy": []}


def test_confidential_booking_shows_only_the_interval(
    api_as, organiser, outsider, make_meeting, room, at
):
    meeting = make_meeting(confidentiality="confidential")
    api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/bookings",
        {"room_id": room.pk, "start": at(0, 9).isoformat(), "end": at(0, 10).isoformat()},
    )
    busy = (
        api_as(outsider)
        .get(
            f"/api/v1/rooms/{room.pk}/availability",
            start=at(0, 0).isoformat(),
            end=at(1, 0).isoformat(),
        )
        .json()["busy"]
    )
    assert len(busy) == 1 and busy[0]["booking_id"] is None


def test_member_cannot_book_for_someone_elses_meeting(api_as, member, make_meeting, room, at):
    meeting = make_meeting()
    response = api_as(member).post(
        f"/api/v1/meetings/{meeting.pk}/bookings",
        {"room_id": room.pk, "start": at(0, 9).isoformat(), "end": at(0, 10).isoformat()},
    )
    assert response.status_code == 403


def test_approve_and_reject_by_room_admin(
    api_as, organiser, make_user, make_meeting, make_room, at
):
    approver = make_user("approver", roles=("staff",))
    room = make_room(requires_approval=True, administrators=[approver])
    api = api_as(organiser)
    first = api.post(
        f"/api/v1/meetings/{make_meeting().pk}/bookings",
        {"room_id": room.pk, "start": at(0, 9).isoformat(), "end": at(0, 10).isoformat()},
    ).json()
    assert first["status"] == "pending"
    assert (
        api.post(f"/api/v1/bookings/{first['id']}/approve").json()["error"]["code"]
        == "not_room_admin"
    )
    assert (
        api_as(approver).post(f"/api/v1/bookings/{first['id']}/approve").json()["status"]
        == "confirmed"
    )
    second = api.post(
        f"/api/v1/meetings/{make_meeting().pk}/bookings",
        {"room_id": room.pk, "start": at(1, 9).isoformat(), "end": at(1, 10).isoformat()},
    ).json()
    assert (
        api_as(approver)
        .post(f"/api/v1/bookings/{second['id']}/reject", {"reason": "维修"})
        .json()["status"]
        == "rejected"
    )


def test_series_endpoint_reports_per_occurrence(api_as, organiser, make_meeting, room, at):
    api = api_as(organiser)
    meeting = make_meeting()
    api.post(
        f"/api/v1/meetings/{meeting.pk}/bookings",
        {"room_id": room.pk, "start": at(7, 9).isoformat(), "end": at(7, 10).isoformat()},
    )
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/booking-series",
        {
            "room_id": room.pk,
            "rule": "weekly",
            "count": 3,
            "first_start": at(0, 9).isoformat(),
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 409
    assert len(response.json()["error"]["details"]["occurrences"]) == 1
    ok = api.post(
        f"/api/v1/meetings/{meeting.pk}/booking-series",
        {
            "room_id": room.pk,
            "rule": "weekly",
            "count": 3,
            "first_start": at(0, 9).isoformat(),
            "duration_minutes": 60,
            "skip_conflicts": True,
        },
    )
    assert ok.status_code == 201 and len(ok.json()["items"]) == 2 and len(ok.json()["skipped"]) == 1


def test_suggestions_avoid_busy_required_people_and_pick_the_closest_room(
    api_as, organiser, make_user, make_meeting, make_room, at
):
    from meetops.meetings.services import add_participant

    boss = make_user("boss", roles=("leader",))
    optional = make_user("opt")
    busy_meeting = make_meeting(start=at(0, 9), hours=3)
    add_participant(busy_meeting, actor=organiser, user=boss)
    small = make_room("小会议室", capacity=6, facilities=["projector"])
    make_room("大礼堂", capacity=200, facilities=["projector"])
    make_room("无投影", capacity=6)
    response = api_as(organiser).post(
        "/api/v1/scheduling/suggestions",
        {
            "required": [boss.pk],
            "optional": [optional.pk],
            "duration_minutes": 60,
            "window_start": at(0).date().isoformat(),
            "window_end": at(0).date().isoformat(),
            "capacity": 5,
            "facilities": ["projector"],
        },
    )
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert items and all(i["room_id"] == small.pk for i in items)
    starts = [i["start"][11:16] for i in items]
    assert "09:00" not in starts and "11:00" not in starts and "12:00" in starts
    assert items[0]["score"] >= items[-1]["score"] and items[0]["reasons"]


def test_closures_api_refuses_an_overlap_with_409(api_as, kept_room, room_admin, organiser, at):
    api = api_as(room_admin)
    url = f"/api/v1/rooms/{kept_room.pk}/closures"
    first = api.post(
        url, {"start": at(0, 9).isoformat(), "end": at(0, 12).isoformat(), "reason": "检修"}
    )
    assert first.status_code == 201 and first.json()["reason"] == "检修"
    clash = api.post(url, {"start": at(0, 11).isoformat(), "end": at(0, 13).isoformat()})
    assert clash.status_code == 409
    error = clash.json()["error"]
    assert error["code"] == "blackout_overlap"
    assert error["details"]["blackout"]["id"] == first.json()["id"]
    touching = api.post(url, {"start": at(0, 12).isoformat(), "end": at(0, 13).isoformat()})
    assert touching.status_code == 201
    assert [c["reason"] for c in api.get(url).json()] == ["检修", ""]
    # Organisers may read the closures but not add or remove them.
    assert api_as(organiser).get(url).status_code == 200
    denied = api_as(organiser).post(
        url, {"start": at(1, 9).isoformat(), "end": at(1, 10).isoformat()}
    )
    assert denied.status_code == 403
    assert api_as(organiser).delete(f"{url}/{first.json()['id']}").status_code == 403
    assert api.delete(f"{url}/{first.json()['id']}").status_code == 204
    assert len(api.get(url).json()) == 1
