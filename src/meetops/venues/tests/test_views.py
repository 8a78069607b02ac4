"""Venue pages: the grid books with a click, query counts stay flat, personas see what they should."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from meetops.venues.models import Booking, BookingStatus, Building, Room, Site
from meetops.venues.services.booking import book_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(db):
    return Building.objects.create(site=Site.objects.create(name="总部"), name="A座")


def _rooms(make_room, building, n):
    return [
        make_room(
            f"A{i:02d}", capacity=8 + i, building=building, facilities=["projector", "network"]
        )
        for i in range(n)
    ]


def test_grid_click_books_the_room_for_the_chosen_meeting(
    client, organiser, make_meeting, make_room, building, at
):
    room = _rooms(make_room, building, 1)[0]
    meeting = make_meeting()
    client.force_login(organiser)
    cell = f"{room.pk}|{at(0, 10).isoformat()}"
    response = client.post(
        f"/venues/buildings/{building.pk}/book",
        {"cell": cell, "meeting": meeting.pk, "duration": 90, "date": at(0).date().isoformat()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert (booking.room, booking.meeting, booking.start, booking.end) == (
        room,
        meeting,
        at(0, 10),
        at(0, 11, 30),
    )
    assert (
        'id="venues-grid"' in response.content.decode() and "<html" not in response.content.decode()
    )
    # The same click again is a conflict, shown as a message, not a new row.
    again = client.post(
        f"/venues/buildings/{building.pk}/book",
        {"cell": cell, "meeting": meeting.pk, "duration": 60},
        headers={"HX-Request": "true"},
    )
    assert "flash error" in again.content.decode() and Booking.objects.count() == 1


def test_member_cannot_book_someone_elses_meeting_from_the_grid(
    client, member, make_meeting, make_room, building, at
):
    room = _rooms(make_room, building, 1)[0]
    client.force_login(member)
    client.post(
        f"/venues/buildings/{building.pk}/book",
        {
            "cell": f"{room.pk}|{at(0, 10).isoformat()}",
            "meeting": make_meeting().pk,
            "duration": 60,
        },
    )
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("view", ["day", "week"])
def test_grid_query_count_does_not_grow_with_rooms_and_bookings(
    client, organiser, make_meeting, make_room, building, at, django_assert_max_num_queries, view
):
    client.force_login(organiser)
    url = f"/venues/buildings/{building.pk}/grid?date={at(0).date().isoformat()}&view={view}"
    rooms = _rooms(make_room, building, 2)
    book_room(
        rooms[0], meeting=make_meeting(title="first"), start=at(0, 8), end=at(0, 9), actor=organiser
    )
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    rooms += _rooms(make_room, building, 8)[2:]
    for i, room in enumerate(rooms):
        book_room(
            room,
            meeting=make_meeting(title=f"M{i}"),
            start=at(0, 9 + i % 8),
            end=at(0, 10 + i % 8),
            actor=organiser,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and "M3" in response.content.decode()


def test_room_page_query_count_is_flat(
    client, organiser, make_meeting, make_room, building, at, django_assert_max_num_queries
):
    room = _rooms(make_room, building, 1)[0]
    client.force_login(organiser)
    url = f"/rooms/{room.pk}/?date={at(0).date().isoformat()}"
    book_room(
        room, meeting=make_meeting(title="first"), start=at(0, 8), end=at(0, 9), actor=organiser
    )
    client.get(url)
    with django_assert_max_num_queries(12) as before:
        client.get(url)
    for h in range(9, 16):
        book_room(
            room,
            meeting=make_meeting(title=f"H{h}"),
            start=at(0, h),
            end=at(0, h, 30),
            actor=organiser,
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert "H12" in client.get(url).content.decode()


def test_room_list_and_door_page(client, member, room):
    client.force_login(member)
    assert room.name in client.get("/rooms/").content.decode()
    assert client.get(f"/rooms/{room.pk}/door").status_code == 200
    assert client.get("/rooms/999999/").status_code == 404


def test_check_in_from_the_door(client, organiser, make_meeting, room, at, time_machine):
    booking = book_room(
        room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    time_machine.move_to(at(0, 9, 5))
    client.force_login(organiser)
    page = client.get(f"/rooms/{room.pk}/door").content.decode()
    assert f"/venues/bookings/{booking.pk}/check-in" in page
    client.post(f"/venues/bookings/{booking.pk}/check-in", {"next": f"/rooms/{room.pk}/door"})
    booking.refresh_from_db()
    assert booking.checked_in_at is not None


def test_approvals_page_for_room_admin_only(
    client, organiser, make_user, make_meeting, make_room, at
):
    approver = make_user("approver", roles=("staff",))
    room = make_room(requires_approval=True, administrators=[approver])
    booking = book_room(
        room, meeting=make_meeting(title="需审批"), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    client.force_login(organiser)
    assert "需审批" not in client.get("/venues/approvals").content.decode()
    client.post(f"/venues/bookings/{booking.pk}/approve", {"next": "/venues/approvals"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING
    client.force_login(approver)
    assert "需审批" in client.get("/venues/approvals").content.decode()
    client.post(f"/venues/bookings/{booking.pk}/approve", {"next": "/venues/approvals"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_meeting_bookings_include_renders_with_fixed_queries(
    organiser, make_meeting, room, make_room, at, django_assert_max_num_queries
):
    meeting = make_meeting()
    request = RequestFactory().get("/")
    request.user = organiser
    template = Template('{% include "venues/_meeting_bookings.html" %}')
    book_room(room, meeting=meeting, start=at(0, 9), end=at(0, 10), actor=organiser)
    with django_assert_max_num_queries(6) as one:
        template.render(Context({"meeting": meeting, "request": request}))
    for h in range(11, 15):
        book_room(make_room(), meeting=meeting, start=at(0, h), end=at(0, h, 30), actor=organiser)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = template.render(Context({"meeting": meeting, "request": request}))
    assert html.count('data-status="confirmed"') == 5


def test_occupancy_page_draws_an_svg_chart(
    client, admin_user, organiser, make_meeting, room, at, time_machine
):
    book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 18), actor=organiser)
    client.force_login(admin_user)
    html = client.get(
        "/venues/occupancy",
        {"start": at(0).date().isoformat(), "end": (at(0) + timedelta(days=1)).date().isoformat()},
    ).content.decode()
    assert "<svg" in html and "100.0%" in html and "chart.js" not in html.lower()


def test_rooms_export_import_round_trip_and_row_errors(client, admin_user, member, room):
    from openpyxl import Workbook, load_workbook

    client.force_login(member)
    assert client.get("/venues/rooms.xlsx").status_code == 403
    client.force_login(admin_user)
    room.name = '=HYPERLINK("http://x")'
    room.save()
    data = client.get("/venues/rooms.xlsx").content
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=header.index("name") + 1).value.startswith("'=")

    wb = Workbook()
    sheet = wb.active
    sheet.append(["code", "name", "building", "capacity", "facilities", "requires_approval"])
    sheet.append(["B101", "新会议室", "B座", 20, "projector,whiteboard", "是"])
    sheet.append(["B102", "", "B座", "many", "teleporter", "maybe"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "rooms.xlsx"
    response = client.post("/venues/rooms/import", {"file": buf})
    html = response.content.decode()
    assert Room.objects.count() == 1  # all or nothing
    assert "“many”" in html and "maybe" in html

    wb = Workbook()
    sheet = wb.active
    sheet.append(["code", "name", "building", "capacity", "facilities", "requires_approval"])
    sheet.append(["B101", "新会议室", "B座", 20, "projector,whiteboard", "是"])
    sheet.append([room.code, "改名", "", 30, "", "否"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "rooms.xlsx"
    assert client.post("/venues/rooms/import", {"file": buf}).status_code == 302
    new = Room.objects.get(code="B101")
    assert (
        new.requires_approval
        and new.building.name == "B座"
        and sorted(new.facilities.values_list("code", flat=True)) == ["projector", "whiteboard"]
    )
    room.refresh_from_db()
    assert (room.name, room.capacity) == ("改名", 30)


def test_find_a_time_page(client, organiser, make_room, at):
    make_room("小会议室", capacity=6)
    client.force_login(organiser)
    html = client.get(
        "/venues/find-a-time",
        {
            "required": "organiser",
            "duration": 60,
            "window_start": at(0).date().isoformat(),
            "window_end": at(0).date().isoformat(),
        },
    ).content.decode()
    assert "小会议室" in html and "09:00" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "找时间和会议室"),
        ("zh-hant", "找時間和會議室"),
        ("en", "Find a time and a room"),
    ],
)
def test_room_list_in_three_languages(client, member, room, language, expected):
    member.language = language
    member.save()
    client.force_login(member)
    assert expected in client.get("/rooms/", headers={"Accept-Language": language}).content.decode()


def test_plural_and_error_messages_are_translated():
    from django.utils import translation
    from django.utils.translation import ngettext

    from meetops.venues.errors import BookingConflict

    with translation.override("zh-hant"):
        assert "已被預訂" in str(
            BookingConflict(start="2026-12-01T09:00", end="2026-12-01T10:00").message
        )
        assert ngettext("%(minutes)s minute", "%(minutes)s minutes", 5) % {"minutes": 5} == "5 分鐘"


def test_grid_with_a_nonsense_duration_still_answers(client, organiser, building):
    client.force_login(organiser)
    response = client.get(f"/venues/buildings/{building.pk}/grid", {"duration": "abc"})
    assert response.status_code == 200


def test_week_and_day_grid_show_bookings_closures_and_free_slots(
    client, organiser, make_meeting, make_room, building, at
):
    from meetops.venues.models import Blackout

    first, second = _rooms(make_room, building, 2)
    book_room(
        first, meeting=make_meeting(title="周会"), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    Blackout.objects.create(room=second, start=at(1, 8), end=at(1, 12), reason="检修")
    client.force_login(organiser)
    week = client.get(
        f"/venues/buildings/{building.pk}/grid", {"date": at(0).date().isoformat(), "view": "week"}
    ).content.decode()
    assert '<div class="busy confirmed">09:00–10:00 周会</div>' in week
    with translation.override("zh-hans"):
        assert f"08:00–12:00 {translation.gettext('Closed')}" in week
    day = client.get(
        f"/venues/buildings/{building.pk}/grid", {"date": at(0).date().isoformat()}
    ).content.decode()
    assert '<td class="busy confirmed" title="09:00–10:00 周会"></td>' in day
    free = f'value="{first.pk}|{at(0, 10).isoformat()}"'
    with translation.override("zh-hans"):
        label = translation.gettext("Book %(room)s at %(time)s") % {
            "room": first.name,
            "time": "10:00",
        }
    assert free in day and f'aria-label="{label}"' in day
    closed = client.get(
        f"/venues/buildings/{building.pk}/grid", {"date": at(1).date().isoformat()}
    ).content.decode()
    assert '<td class="busy blackout" title="08:00–12:00 检修"></td>' in closed
