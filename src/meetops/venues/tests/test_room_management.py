"""Room management by room administrators, photos, blackouts, external venues, the waiting list."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.venues.models import Blackout, ExternalVenue, RoomPhoto, WaitlistEntry
from meetops.venues.services.booking import book_room, join_waitlist
from meetops.venues.services.rooms import (
    add_blackout,
    add_photo,
    delete_photo,
    remove_blackout,
    save_external_venue,
    update_room,
)
from meetops.venues.services.waitlist import withdraw_waitlist_entry

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64
WEBP = b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 64
GIF = b"GIF89a" + b"\0" * 64


def test_room_administrator_edits_booking_settings_but_not_the_place(
    kept_room, room_admin, member, organiser
):
    room = update_room(
        kept_room,
        actor=room_admin,
        capacity=90,
        buffer_minutes=15,
        requires_approval=True,
        release_if_no_checkin_minutes=20,
        facilities=["projector"],
        administrators=[room_admin, organiser],
    )
    room.refresh_from_db()
    assert (room.capacity, room.buffer_minutes, room.requires_approval) == (90, 15, True)
    assert set(room.administrators.all()) == {room_admin, organiser}
    entry = AuditEntry.objects.filter(action="venues.room.updated").latest("pk")
    assert entry.changes["capacity"] == [80, 90]
    with pytest.raises(PermissionDenied) as exc:
        update_room(room, actor=room_admin, active=False)
    assert exc.value.code == "admin_only_field"
    with pytest.raises(PermissionDenied):
        update_room(room, actor=member, capacity=5)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")],
)
def test_photo_type_comes_from_the_content(
    kept_room, room_admin, content, expected, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("whatever.txt", content)
    photo = add_photo(kept_room, upload=upload, actor=room_admin, caption="正面")
    assert photo.content_type == expected
    assert AuditEntry.objects.filter(action="venues.room.photo_added").exists()


def test_photo_refused_by_type_and_size(kept_room, room_admin, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationFailed) as exc:
        add_photo(kept_room, upload=SimpleUploadedFile("a.gif", GIF), actor=room_admin)
    assert exc.value.code == "unsupported_file_type"
    with pytest.raises(ValidationFailed) as exc:
        add_photo(kept_room, upload=SimpleUploadedFile("a.jpg", b"<svg/>"), actor=room_admin)
    assert exc.value.code == "unsupported_file_type"
    big = SimpleUploadedFile("big.jpg", JPEG + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as exc:
        add_photo(kept_room, upload=big, actor=room_admin)
    assert exc.value.code == "file_too_large"
    with pytest.raises(PermissionDenied):
        add_photo(kept_room, upload=SimpleUploadedFile("a.png", PNG), actor=member)
    assert not RoomPhoto.objects.exists()


def test_delete_photo_removes_row_and_file(
    kept_room, room_admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    photo = add_photo(kept_room, upload=SimpleUploadedFile("a.png", PNG), actor=room_admin)
    path = photo.image.path
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(photo, actor=room_admin)
    assert not RoomPhoto.objects.exists()
    import os

    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="venues.room.photo_deleted").exists()


def test_blackout_over_bookings_is_refused_and_lists_them(
    kept_room, room_admin, organiser, make_meeting, at
):
    meeting = make_meeting(title="季度会")
    booking = book_room(kept_room, meeting=meeting, start=at(0, 10), end=at(0, 11), actor=organiser)
    with pytest.raises(DomainError) as exc:
        add_blackout(kept_room, start=at(0, 9), end=at(0, 12), reason="检修", actor=room_admin)
    assert exc.value.status == 409 and exc.value.code == "blackout_over_bookings"
    assert [b["id"] for b in exc.value.details["bookings"]] == [booking.pk]
    assert exc.value.details["bookings"][0]["meeting_title"] == "季度会"
    assert not Blackout.objects.exists()
    blackout = add_blackout(
        kept_room, start=at(1, 9), end=at(1, 12), reason="检修", actor=room_admin
    )
    assert AuditEntry.objects.filter(action="venues.room.blackout_added").exists()
    remove_blackout(blackout, actor=room_admin)
    assert not Blackout.objects.exists()
    assert AuditEntry.objects.filter(action="venues.room.blackout_removed").exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((9, 0), (12, 0)),
        ((10, 0), (11, 0)),
        ((8, 0), (9, 30)),
        ((11, 59), (14, 0)),
        ((8, 0), (13, 0)),
    ],
)
def test_overlapping_closure_is_refused_naming_the_existing_one(
    kept_room, room_admin, at, start, end
):
    first = add_blackout(kept_room, start=at(0, 9), end=at(0, 12), reason="检修", actor=room_admin)
    with pytest.raises(DomainError) as exc:
        add_blackout(kept_room, start=at(0, *start), end=at(0, *end), reason="", actor=room_admin)
    assert exc.value.status == 409 and exc.value.code == "blackout_overlap"
    assert exc.value.details["blackout"]["id"] == first.pk
    assert exc.value.details["blackout"]["reason"] == "检修"
    assert list(Blackout.objects.values_list("pk", flat=True)) == [first.pk]


def test_closures_may_touch_and_other_rooms_are_apart(kept_room, make_room, room_admin, at):
    add_blackout(kept_room, start=at(0, 9), end=at(0, 12), reason="检修", actor=room_admin)
    add_blackout(kept_room, start=at(0, 12), end=at(0, 14), reason="保洁", actor=room_admin)
    add_blackout(kept_room, start=at(0, 7), end=at(0, 9), reason="布置", actor=room_admin)
    other = make_room("小会议室", administrators=[room_admin])
    add_blackout(other, start=at(0, 9), end=at(0, 12), reason="检修", actor=room_admin)
    assert Blackout.objects.filter(room=kept_room).count() == 3


def test_blackout_needs_a_room_administrator(kept_room, organiser, at):
    with pytest.raises(PermissionDenied):
        add_blackout(kept_room, start=at(1, 9), end=at(1, 12), reason="", actor=organiser)


def test_external_venue_is_added_and_changed_by_admins_only(admin_user, organiser):
    venue = save_external_venue(
        None, actor=admin_user, name="国际会议中心", kind="conference_centre", cost_per_day=8000
    )
    venue = save_external_venue(venue, actor=admin_user, contact_name="王经理")
    assert ExternalVenue.objects.get().contact_name == "王经理"
    assert AuditEntry.objects.filter(action="venues.external_venue.updated").exists()
    with pytest.raises(PermissionDenied):
        save_external_venue(venue, actor=organiser, name="x")
    with pytest.raises(ValidationFailed) as exc:
        save_external_venue(None, actor=admin_user, name=" ")
    assert exc.value.code == "name_required"


@pytest.fixture
def queued(make_user, make_meeting, room, organiser, at):
    other = make_user("second", roles=("organiser",))
    book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 11), actor=organiser)
    entry = join_waitlist(
        room, meeting=make_meeting(actor=other), start=at(0, 10), end=at(0, 11), actor=other
    )
    return entry, other


def test_withdraw_waitlist_entry(queued, organiser):
    entry, other = queued
    with pytest.raises(PermissionDenied):
        withdraw_waitlist_entry(entry, actor=organiser)
    assert withdraw_waitlist_entry(entry, actor=other).status == WaitlistEntry.Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="venues.waitlist.withdrawn").exists()
    with pytest.raises(DomainError) as exc:
        withdraw_waitlist_entry(entry, actor=other)
    assert exc.value.code == "waitlist_not_waiting"


def test_waitlist_api_lists_and_withdraws_by_persona(queued, api_as, organiser, outsider):
    entry, other = queued
    mine = api_as(other).get("/api/v1/waitlist").json()
    assert mine["count"] == 1 and mine["items"][0]["id"] == entry.pk
    assert api_as(outsider).get("/api/v1/waitlist").json() == {"items": [], "count": 0}
    refused = api_as(outsider).post(f"/api/v1/waitlist/{entry.pk}/withdraw")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    api = api_as(other)
    gone = api.client.delete(f"/api/v1/waitlist/{entry.pk}", headers=api.headers)
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
    again = api.post(f"/api/v1/waitlist/{entry.pk}/withdraw")
    assert again.status_code == 409 and again.json()["error"]["code"] == "waitlist_not_waiting"


def test_rooms_api_exposes_external_venue(api_as, admin_user, organiser):
    api = api_as(admin_user)
    venue = api.post(
        "/api/v1/external-venues",
        {"name": "湖畔酒店", "kind": "hotel", "address": "湖滨路1号", "cost_per_day": "3500.00"},
    )
    assert venue.status_code == 201, venue.content
    vid = venue.json()["id"]
    room = api.post(
        "/api/v1/rooms", {"name": "宴会厅", "capacity": 200, "external_venue_id": vid}
    ).json()
    assert room["external_venue_id"] == vid and room["external_venue"]["name"] == "湖畔酒店"
    assert room["external_venue"]["cost_per_day"] in ("3500.00", 3500.0, "3500")
    listed = api_as(organiser).get("/api/v1/rooms").json()
    assert set(listed) == {"items", "count"} and listed["items"][0]["external_venue"]["id"] == vid
    refused = api_as(organiser).post("/api/v1/external-venues", {"name": "x"})
    assert refused.status_code == 403
    unknown = api.post("/api/v1/rooms", {"name": "y", "capacity": 2, "external_venue_id": 999999})
    assert unknown.status_code == 422


def test_room_administrator_patches_room_over_the_api(api_as, kept_room, room_admin, member):
    ok = api_as(room_admin).patch(f"/api/v1/rooms/{kept_room.pk}", {"buffer_minutes": 30})
    assert ok.status_code == 200 and ok.json()["buffer_minutes"] == 30
    moved = api_as(room_admin).patch(f"/api/v1/rooms/{kept_room.pk}", {"active": False})
    assert moved.status_code == 403 and moved.json()["error"]["code"] == "admin_only_field"
    assert api_as(member).patch(f"/api/v1/rooms/{kept_room.pk}", {"capacity": 3}).status_code == 403
