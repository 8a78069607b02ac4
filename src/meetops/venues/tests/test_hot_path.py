"""Booking create at its floor and availability as an API (issue 17): statements pinned, rules kept."""

from __future__ import annotations

import pytest
from django.db import connection

from meetops.core import audit
from meetops.core.models import AuditEntry
from meetops.venues.models import Building, Site
from meetops.venues.services.rooms import add_blackout

pytestmark = pytest.mark.django_db

# token, meeting (+ the caller's roles on it), roles, room (+ whether the caller administers it,
# whether it names departments), begin, meeting lock, [room lock: PostgreSQL; SQLite's one
# writer needs none], the insert that checks overlaps and closures itself, audit entry, commit
BOOKING_CREATE = 9 + (1 if connection.features.has_select_for_update else 0)
# token, roles, rooms (with whether the caller administers each), every room's bookings (with
# whether the caller sees each one's meeting), closures
AVAILABILITY = 5


def _book(api, meeting, room, at, hour):
    return api.post(
        f"/api/v1/meetings/{meeting.pk}/bookings",
        {"room_id": room.pk, "start": at(0, hour).isoformat(), "end": at(0, hour + 1).isoformat()},
    )


def test_booking_create_statements(
    api_as, organiser, make_meeting, room, at, django_assert_num_queries
):
    meeting = make_meeting()
    api = api_as(organiser)
    api.get("/api/v1/me")
    with django_assert_num_queries(BOOKING_CREATE):
        response = _book(api, meeting, room, at, 9)
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="venues.booking.created")
    assert (entry.stream, entry.seq) == (f"booking:{response.json()['id']}", 1)
    assert _book(api, meeting, room, at, 9).json()["error"]["code"] == "booking_conflict"
    assert audit.verify(against_checkpoint=False)[1] == []


def _window(at):
    return {"start": at(0, 0).isoformat(), "end": at(1, 0).isoformat()}


@pytest.mark.parametrize("rooms", [1, 6])
def test_availability_statements_do_not_grow(
    api_as, organiser, make_meeting, make_room, at, rooms, django_assert_num_queries
):
    api = api_as(organiser)
    made = [make_room() for _ in range(rooms)]
    for n, room in enumerate(made):
        _book(api, make_meeting(title=f"会{n}"), room, at, 9)
    ids = ",".join(str(r.pk) for r in made)
    with django_assert_num_queries(AVAILABILITY):
        body = api.get("/api/v1/availability", rooms=ids, **_window(at)).json()
    assert [r["room_id"] for r in body["rooms"]] == [r.pk for r in made]
    assert all(len(r["busy"]) == 1 and r["free"] == [] for r in body["rooms"])


def test_availability_names_only_meetings_the_caller_sees(
    api_as, organiser, outsider, make_meeting, room, at
):
    api = api_as(organiser)
    _book(api, make_meeting(title="公开会"), room, at, 9)
    _book(api, make_meeting(title="绝密会", confidentiality="confidential"), room, at, 11)
    mine = api.get("/api/v1/availability", rooms=str(room.pk), **_window(at)).json()
    theirs = api_as(outsider).get("/api/v1/availability", rooms=str(room.pk), **_window(at)).json()
    assert [b["title"] for b in mine["rooms"][0]["busy"]] == ["公开会", "绝密会"]
    busy = theirs["rooms"][0]["busy"]
    assert [b["title"] for b in busy] == ["公开会", None]
    assert (
        busy[1]["booking_id"] is None and busy[1]["start"] == mine["rooms"][0]["busy"][1]["start"]
    )
    assert (
        api_as(None).get("/api/v1/availability", rooms=str(room.pk), **_window(at)).status_code
        == 401
    )
    room.administrators.add(outsider)  # who administers the room sees whose meetings hold it
    theirs = api_as(outsider).get("/api/v1/availability", rooms=str(room.pk), **_window(at)).json()
    assert theirs == mine


def test_availability_of_a_building_with_free_slots(
    api_as, organiser, admin_user, make_meeting, make_room, at
):
    building = Building.objects.create(site=Site.objects.create(name="总部"), name="A座")
    inside = make_room("甲", building=building)
    make_room("乙")  # elsewhere
    closed = make_room("丙", building=building)
    add_blackout(closed, start=at(0, 8), end=at(0, 12), reason="装修", actor=admin_user)
    api = api_as(organiser)
    _book(api, make_meeting(), inside, at, 9)
    body = api.get(
        "/api/v1/availability",
        building=building.pk,
        free="true",
        min_free_minutes=60,
        **_window(at),
    ).json()
    by_name = {r["name"]: r for r in body["rooms"]}
    assert set(by_name) == {"甲", "丙"}
    assert [b["kind"] for b in by_name["丙"]["busy"]] == ["blackout"]
    assert by_name["丙"]["busy"][0]["title"] == "装修"
    free = by_name["甲"]["free"]
    assert len(free) == 2
    assert free[0]["end"] == by_name["甲"]["busy"][0]["start"]
    assert free[1]["start"] == by_name["甲"]["busy"][0]["end"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "rooms_or_building"),
        ({"rooms": "1", "building": 1}, "rooms_or_building"),
        ({"rooms": "1,x"}, "invalid_rooms"),
        ({"rooms": "0"}, "invalid_rooms"),
    ],
)
def test_availability_refuses_bad_questions(api_as, organiser, at, params, code):
    response = api_as(organiser).get("/api/v1/availability", **params, **_window(at))
    assert response.status_code == 422 and response.json()["error"]["code"] == code


def test_availability_window_is_bounded(api_as, organiser, room, at):
    response = api_as(organiser).get(
        "/api/v1/availability",
        rooms=str(room.pk),
        start=at(0, 0).isoformat(),
        end=at(90, 0).isoformat(),
    )
    assert response.json()["error"]["code"] == "invalid_window"
