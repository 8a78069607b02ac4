"""Readiness facts (issue 16, finding 5): AV means sound, an unchecked item is not a tick, and the
inspection is judged before the meeting and recorded at its start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.meetings.models import MeetingRole
from meetops.meetings.services import add_participant, transition_meeting
from meetops.risks import services
from meetops.risks.models import ReadinessRecord, ReadinessSignature
from meetops.risks.selectors import readiness_of
from meetops.venues.services.booking import book_room, cancel_booking
from meetops.venues.services.rooms import create_room

pytestmark = pytest.mark.django_db


def _room_for(meeting, organiser, *facilities):
    room = create_room(
        actor=None, name=f"会议室{len(facilities)}", capacity=50, facilities=list(facilities)
    )
    return book_room(room, meeting=meeting, start=meeting.start, end=meeting.end, actor=organiser)


def test_av_is_yes_only_for_a_room_people_can_be_heard_in(make_meeting, organiser):
    silent = make_meeting(title="无音响")
    _room_for(silent, organiser, "projector", "screen")
    item = readiness_of(silent).item("av_present")
    assert item.evidence is False and "会议室2" in str(item.detail)
    heard = make_meeting(title="有音响")
    _room_for(heard, organiser, "projector", "sound")
    assert readiness_of(heard).item("av_present").evidence is True


def test_an_optional_item_never_checked_shows_as_not_checked(client, organiser, make_meeting):
    meeting = make_meeting()
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/readiness/").content.decode()
    drill = page.split('data-item="drill_held"')[1].split("</li>")[0]
    assert 'data-checked="0"' in drill and "✔" not in drill
    assert 'name="ok" checked' not in drill and "未检查" in drill


def test_readiness_is_recorded_at_the_start_and_a_walk_in_does_not_unsign_it(
    make_meeting, organiser, make_user
):
    meeting = make_meeting(start=timezone.now() + timedelta(hours=1))
    booking = _room_for(meeting, organiser, "sound")
    services.check_item(meeting, "room_booked", actor=organiser, note="已看过")
    # The whole path to a signature is test_services' (every required item OK); here the
    # inspector has signed.
    ReadinessSignature.objects.create(
        meeting=meeting, signed_by=organiser, signed_at=timezone.now()
    )
    for stage in ("preparing", "ready", "in_progress"):
        meeting = transition_meeting(meeting, to=stage, actor=organiser, override_reason="演练")
    record = ReadinessRecord.objects.get(meeting=meeting)
    assert record.signed_by == organiser

    walk_in = make_user("walkin")
    add_participant(meeting, actor=organiser, user=walk_in, role=MeetingRole.PARTICIPANT)
    cancel_booking(booking, actor=organiser)

    readiness = readiness_of(meeting)
    assert readiness.frozen_at == record.taken_at
    assert readiness.signature is not None and readiness.signature.signed_by == organiser
    room = readiness.item("room_booked")
    assert room.evidence is True and room.ok and room.check.checked_by == organiser
    with pytest.raises(DomainError) as exc:
        services.check_item(meeting, "room_booked", actor=organiser, ok=False)
    assert exc.value.code == "readiness_recorded"
    assert ReadinessSignature.objects.filter(meeting=meeting).exists()
