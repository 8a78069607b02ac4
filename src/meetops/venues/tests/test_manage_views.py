"""Room management pages, external venues, the waiting-list page, the filtered rooms list."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from meetops.venues.models import (
    Blackout,
    Building,
    ExternalVenue,
    Facility,
    RoomPhoto,
    Site,
    WaitlistEntry,
)
from meetops.venues.services.booking import book_room, join_waitlist

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
HX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("persona", "status"), [("room_admin", 200), ("organiser", 403), ("member", 403)]
)
def test_room_edit_page_by_persona(client, request, kept_room, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/rooms/{kept_room.pk}/edit").status_code == status
    if status == 403:
        assert client.post(f"/rooms/{kept_room.pk}/blackouts", {}).status_code == 403
        assert client.post(f"/rooms/{kept_room.pk}/photos", {}).status_code == 403


def test_room_admin_saves_settings_without_the_admin_only_fields(client, kept_room, room_admin):
    client.force_login(room_admin)
    page = client.get(f"/rooms/{kept_room.pk}/edit").content.decode()
    assert 'name="buffer_minutes"' in page and 'name="active"' not in page
    response = client.post(
        f"/rooms/{kept_room.pk}/edit",
        {
            "name": "报告厅",
            "capacity": 120,
            "layout": "theatre",
            "facilities": [Facility.objects.get(code="projector").pk],
            "open_weekdays": "12345",
            "buffer_minutes": 10,
            "requires_approval": "on",
            "release_if_no_checkin_minutes": 15,
            "administrators": [room_admin.pk],
            "allowed_roles": ["organiser"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    kept_room.refresh_from_db()
    assert (kept_room.capacity, kept_room.layout, kept_room.requires_approval) == (
        120,
        "theatre",
        True,
    )
    assert kept_room.allowed_roles == ["organiser"] and kept_room.active


def test_photo_upload_by_htmx_shows_on_room_page_and_refuses_bad_content(
    client, kept_room, room_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(room_admin)
    ok = client.post(
        f"/rooms/{kept_room.pk}/photos",
        {"image": SimpleUploadedFile("front.png", PNG), "caption": "正门"},
        headers=HX,
    )
    assert ok.status_code == 200 and 'id="room-photos"' in ok.content.decode()
    photo = RoomPhoto.objects.get()
    page = client.get(f"/rooms/{kept_room.pk}/").content.decode()
    assert f"/rooms/{kept_room.pk}/photos/{photo.pk}" in page
    served = client.get(f"/rooms/{kept_room.pk}/photos/{photo.pk}")
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == PNG
    with translation.override("zh-hans"):
        bad = client.post(
            f"/rooms/{kept_room.pk}/photos",
            {"image": SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>")},
            headers={**HX, "Accept-Language": "zh-hans"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert bad.status_code == 200 and "只接受 JPEG、PNG 或 WebP" in bad.content.decode()
    plain = client.post(
        f"/rooms/{kept_room.pk}/photos", {"image": SimpleUploadedFile("a.png", b"nope")}
    )
    assert plain.status_code == 422 and "<html" in plain.content.decode()
    gone = client.post(f"/rooms/{kept_room.pk}/photos/{photo.pk}/delete", headers=HX)
    assert gone.status_code == 200 and not RoomPhoto.objects.exists()


def test_blackout_form_lists_the_bookings_in_the_way(
    client, kept_room, room_admin, organiser, make_meeting, at
):
    book_room(
        kept_room,
        meeting=make_meeting(title="年度总结"),
        start=at(0, 10),
        end=at(0, 11),
        actor=organiser,
    )
    client.force_login(room_admin)
    form = {
        "start": at(0, 9).strftime("%Y-%m-%dT%H:%M"),
        "end": at(0, 12).strftime("%Y-%m-%dT%H:%M"),
        "reason": "检修",
    }
    refused = client.post(f"/rooms/{kept_room.pk}/blackouts", form, headers=HX)
    assert refused.status_code == 200
    assert (
        'id="blackout-clashes"' in refused.content.decode()
        and "年度总结" in refused.content.decode()
    )
    assert not Blackout.objects.exists()
    form["start"], form["end"] = (
        at(1, 9).strftime("%Y-%m-%dT%H:%M"),
        at(1, 12).strftime("%Y-%m-%dT%H:%M"),
    )
    added = client.post(f"/rooms/{kept_room.pk}/blackouts", form, headers=HX)
    assert added.status_code == 200 and "检修" in added.content.decode()
    blackout = Blackout.objects.get()
    assert blackout.start == at(1, 9)
    client.post(f"/rooms/{kept_room.pk}/blackouts/{blackout.pk}/delete", headers=HX)
    assert not Blackout.objects.exists()


def test_external_venues_listed_for_all_edited_by_admins(client, admin_user, member):
    client.force_login(admin_user)
    response = client.post(
        "/venues/external/new",
        {
            "name": "湖畔酒店",
            "kind": "hotel",
            "address": "湖滨路1号",
            "contact_name": "李经理",
            "cost_per_day": "3500",
            "currency": "CNY",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    venue = ExternalVenue.objects.get()
    client.force_login(member)
    page = client.get("/venues/external/").content.decode()
    assert (
        "湖畔酒店" in page and "李经理" in page and f"/venues/external/{venue.pk}/edit" not in page
    )
    assert client.get(f"/venues/external/{venue.pk}/edit").status_code == 403


def test_waitlist_page_and_withdraw_by_persona(
    client, make_user, make_meeting, room, organiser, outsider, at
):
    other = make_user("second", roles=("organiser",))
    book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 11), actor=organiser)
    entry = join_waitlist(
        room,
        meeting=make_meeting(actor=other, title="排队的会"),
        start=at(0, 10),
        end=at(0, 11),
        actor=other,
    )
    client.force_login(outsider)
    assert "排队的会" not in client.get("/venues/waitlist").content.decode()
    assert client.post(f"/venues/waitlist/{entry.pk}/withdraw").status_code == 404
    client.force_login(other)
    assert "排队的会" in client.get("/venues/waitlist").content.decode()
    response = client.post(f"/venues/waitlist/{entry.pk}/withdraw", headers=HX)
    assert response.status_code == 200 and 'id="waitlist"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.WITHDRAWN


def test_rooms_list_filters_and_paginates_in_fixed_queries(
    client, member, make_room, django_assert_max_num_queries
):
    site = Site.objects.create(name="总部")
    a, b = (Building.objects.create(site=site, name=n) for n in ("A座", "B座"))
    for i in range(60):
        make_room(
            f"A{i:02d}", capacity=5 + i, building=a, facilities=["projector"] if i % 2 else []
        )
    make_room("B大厅", capacity=300, building=b)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        first = client.get("/rooms/").content.decode()
    assert "A00" in first and "B大厅" not in first and "page=2" in first
    only = client.get(
        "/rooms/", {"building": a.pk, "min_capacity": 60, "facility": ["projector"]}, headers=HX
    )
    html = only.content.decode()
    assert 'id="room-results"' in html and "<html" not in html
    assert "A55" in html and "A54" not in html and "A10" not in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "already closed from"), ("zh-hans", "已有停用时段"), ("zh-hant", "已有停用時段")],
)
def test_blackout_form_refuses_an_overlapping_closure_in_the_reader_language(
    client, kept_room, room_admin, at, language, words
):
    from meetops.venues.services.rooms import add_blackout

    add_blackout(kept_room, start=at(0, 9), end=at(0, 12), reason="检修", actor=room_admin)
    client.force_login(room_admin)
    form = {
        "start": at(0, 11).strftime("%Y-%m-%dT%H:%M"),
        "end": at(0, 13).strftime("%Y-%m-%dT%H:%M"),
        "reason": "保洁",
    }
    with translation.override(language):
        refused = client.post(
            f"/rooms/{kept_room.pk}/blackouts",
            form,
            headers={**HX, "Accept-Language": language},
        )
    assert refused.status_code == 200
    assert words in refused.content.decode()
    assert Blackout.objects.count() == 1
