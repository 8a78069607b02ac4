"""Multi-room events: the agenda editor offers the rooms of the meeting's confirmed bookings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.agenda import services
from meetops.agenda.models import AgendaItem
from meetops.venues.services.booking import book_room
from meetops.venues.services.rooms import create_room

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def booked(meeting, organiser):
    hall = create_room(actor=None, name="报告厅", capacity=200)
    side = create_room(actor=None, name="分会场一", capacity=30)
    waiting = create_room(actor=None, name="待批室", capacity=10, requires_approval=True)
    for room in (hall, side, waiting):
        book_room(room, meeting=meeting, start=meeting.start, end=meeting.end, actor=organiser)
    return hall, side


def test_editor_offers_confirmed_booked_rooms_and_stores_the_label(
    client, organiser, meeting, booked
):
    client.force_login(organiser)
    page = client.get(reverse("agenda_editor", args=[meeting.pk])).content.decode()
    assert 'name="room_choice"' in page
    assert '<option value="报告厅">' in page and '<option value="分会场一">' in page
    assert "待批室" not in page  # pending bookings are not rooms the meeting has yet
    client.post(
        reverse("agenda_item_add", args=[meeting.pk]),
        {"title": "分组讨论", "duration_minutes": 30, "room_choice": "分会场一", "room": ""},
        headers=HTMX,
    )
    item = AgendaItem.objects.get(title="分组讨论")
    assert item.room_label == "分会场一"
    form = client.get(reverse("agenda_item_edit", args=[meeting.pk, item.pk]), headers=HTMX)
    assert '<option value="分会场一" selected>' in form.content.decode()
    client.post(
        reverse("agenda_item_edit", args=[meeting.pk, item.pk]),
        {"title": "分组讨论", "duration_minutes": 30, "room_choice": "", "room": "走廊"},
        headers=HTMX,
    )
    item.refresh_from_db()
    assert item.room_label == "走廊"


def test_without_bookings_the_room_is_free_text_only(client, organiser, meeting):
    client.force_login(organiser)
    page = client.get(reverse("agenda_editor", args=[meeting.pk])).content.decode()
    assert 'name="room_choice"' not in page and 'name="room"' in page


def test_api_reads_the_chosen_label_as_room(api_as, organiser, meeting, booked):
    services.add_item(meeting, actor=organiser, title="开幕", duration_minutes=10, room="报告厅")
    body = api_as(organiser).get(f"/api/v1/meetings/{meeting.pk}/agenda").json()
    assert body["items"][0]["room"] == "报告厅"
