"""The seating API: one error shape, every write authorised (organiser, member, outsider) and audited."""

from __future__ import annotations

import pytest

from meetops.core.models import AuditEntry
from meetops.seating.models import SeatAssignment, SeatPlan

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("主持人", "host", "办公室"),
    ("代表甲", "participant", "财务处"),
    ("列席", "observer", "市局"),
]


def _layout(**extra):
    return {
        "rostrum_rows": 1,
        "rostrum_seats": 3,
        "rows": 2,
        "columns": 5,
        "aisle_columns": [3],
        **extra,
    }


def test_put_creates_and_get_reads_the_plan(seated_meeting, api_as, organiser):
    meeting = seated_meeting(PEOPLE)
    api = api_as(organiser)
    response = api.put(
        f"/api/v1/meetings/{meeting.pk}/seating",
        _layout(
            name="一号厅",
            cells=[{"section": "audience", "row": 1, "col": 1, "reserved": True, "note": "媒体"}],
        ),
    )
    assert response.status_code == 200, response.content
    plan = response.json()
    assert plan["name"] == "一号厅"
    assert len(plan["seats"]) == 3 + 10
    reserved = next(s for s in plan["seats"] if s["reserved"])
    assert (reserved["row"], reserved["col"], reserved["note"]) == (1, 1, "媒体")
    assert sorted(plan["unseated"]) == sorted(
        p.pk for p in meeting.participants.exclude(role="organiser")
    )
    body = api.get(f"/api/v1/meetings/{meeting.pk}/seating").json()
    assert body["can_arrange"] is True
    assert [p["id"] for p in body["plans"]] == [plan["id"]]


def test_auto_assign_and_put_assignments(seated_meeting, api_as, organiser, person):
    meeting = seated_meeting(PEOPLE)
    api = api_as(organiser)
    api.put(f"/api/v1/meetings/{meeting.pk}/seating", _layout())
    response = api.post(f"/api/v1/meetings/{meeting.pk}/seating/auto-assign", {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assigned"] == 3 and body["unseated"] == []
    host = person(meeting, "主持人")
    centre = next(s for s in body["plan"]["seats"] if s["section"] == "rostrum" and s["col"] == 2)
    assert centre["participant_id"] == host.pk
    assert "2" in centre["label"]
    # PUT with assignments replaces the seating.
    seat = next(
        s for s in body["plan"]["seats"] if s["section"] == "audience" and s["kind"] == "seat"
    )
    plan = api.put(
        f"/api/v1/meetings/{meeting.pk}/seating",
        _layout(assignments=[{"participant_id": host.pk, "seat_id": seat["id"]}]),
    ).json()
    assert [s["participant_id"] for s in plan["seats"] if s["participant_id"]] == [host.pk]
    assert AuditEntry.objects.filter(action="seating.plan.assignments_replaced").count() == 1


def test_errors_have_one_shape(seated_meeting, api_as, organiser, person):
    meeting = seated_meeting(PEOPLE)
    api = api_as(organiser)
    plan = api.put(f"/api/v1/meetings/{meeting.pk}/seating", _layout()).json()
    aisle = next(s for s in plan["seats"] if s["kind"] == "aisle")
    seat = next(s for s in plan["seats"] if s["kind"] == "seat")
    host, other = person(meeting, "主持人"), person(meeting, "代表甲")
    url = f"/api/v1/meetings/{meeting.pk}/seating/assignments"
    response = api.post(url, {"participant_id": host.pk, "seat_id": aisle["id"]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "seat_unavailable"
    assert api.post(url, {"participant_id": host.pk, "seat_id": seat["id"]}).status_code == 201
    response = api.post(url, {"participant_id": other.pk, "seat_id": seat["id"]})
    assert response.status_code == 409
    assert set(response.json()["error"]) == {"code", "message", "details"}
    assert response.json()["error"]["code"] == "seat_taken"
    response = api.put(
        f"/api/v1/meetings/{meeting.pk}/seating",
        _layout(
            assignments=[
                {"participant_id": host.pk, "seat_id": seat["id"]},
                {"participant_id": other.pk, "seat_id": seat["id"]},
            ]
        ),
    )
    assert response.json()["error"]["code"] == "duplicate_seat"
    response = api.put(f"/api/v1/meetings/{meeting.pk}/seating", _layout(rows=0))
    assert response.status_code == 422


def test_personas(seated_meeting, api_as, organiser, member, outsider, admin_user):
    internal = seated_meeting(PEOPLE)
    secret = seated_meeting(PEOPLE, confidentiality="confidential")
    api_as(organiser).put(f"/api/v1/meetings/{internal.pk}/seating", _layout())
    # member may read an internal meeting's plan but not change it
    member_api = api_as(member)
    assert member_api.get(f"/api/v1/meetings/{internal.pk}/seating").json()["can_arrange"] is False
    response = member_api.post(f"/api/v1/meetings/{internal.pk}/seating/auto-assign", {})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert member_api.put(f"/api/v1/meetings/{internal.pk}/seating", _layout()).status_code == 403
    # outsider does not see a confidential meeting at all
    outsider_api = api_as(outsider)
    for call in (
        lambda: outsider_api.get(f"/api/v1/meetings/{secret.pk}/seating"),
        lambda: outsider_api.put(f"/api/v1/meetings/{secret.pk}/seating", _layout()),
        lambda: outsider_api.post(f"/api/v1/meetings/{secret.pk}/seating/auto-assign", {}),
    ):
        response = call()
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not SeatPlan.objects.filter(meeting=secret).exists()
    # an admin may
    assert (
        api_as(admin_user).post(f"/api/v1/meetings/{secret.pk}/seating/auto-assign", {}).status_code
        == 200
    )
    assert SeatAssignment.objects.filter(plan__meeting=secret).count() == 3
    assert (
        AuditEntry.objects.filter(action="seating.plan.auto_assigned", actor=admin_user).count()
        == 1
    )


def test_several_plans_need_a_plan_id(seated_meeting, api_as, organiser):
    from meetops.seating import services
    from meetops.venues.services.booking import book_room
    from meetops.venues.services.rooms import create_room

    meeting = seated_meeting(PEOPLE)
    for name in ("主会场", "分会场"):
        room = create_room(actor=None, name=name, capacity=30, layout="theatre")
        book_room(room, meeting=meeting, start=meeting.start, end=meeting.end, actor=organiser)
        services.create_plan(meeting, actor=organiser, room=room)
    response = api_as(organiser).post(f"/api/v1/meetings/{meeting.pk}/seating/auto-assign", {})
    assert response.status_code == 422 and response.json()["error"]["code"] == "plan_required"
    plans = api_as(organiser).get(f"/api/v1/meetings/{meeting.pk}/seating").json()["plans"]
    assert len(plans) == 2
    response = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/seating/auto-assign", {"plan_id": plans[1]["id"]}
    )
    assert response.status_code == 200
    assert response.json()["plan"]["id"] == plans[1]["id"]
