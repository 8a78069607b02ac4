"""Issue 16 finding 17(c): the room and note of a problem report are in sight before the
category is tapped (a tap sends the report), not folded away."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.live.models import SupportTicket

pytestmark = pytest.mark.django_db


def test_the_note_is_typed_before_tapping_and_reaches_the_ticket(client, room_meeting, member):
    client.force_login(member)
    url = reverse("live:support", args=[room_meeting.pk])
    page = client.get(url).content.decode()
    before_note = page.split('id="id_note"')[0]
    assert before_note.count("<details") == before_note.count("</details>")  # not folded
    assert page.index('id="id_note"') < page.index('name="category"')
    client.post(url, {"category": "sound", "room": "第一会议室", "note": "左侧话筒有杂音"})
    ticket = SupportTicket.objects.get()
    assert (ticket.room, ticket.note) == ("第一会议室", "左侧话筒有杂音")
