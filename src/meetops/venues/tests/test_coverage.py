"""A room booking covers its meeting (issue 16, finding 1): P2.1, P2.2 and readiness judge
coverage, and moving the meeting moves its rooms or says clearly which could not follow."""

from __future__ import annotations

import pytest
from django.utils import translation

from meetops.core.models import AuditEntry
from meetops.meetings.services import update_meeting
from meetops.policy.models import MeetingStep, StepStatus
from meetops.policy.rules import is_met
from meetops.policy.services import _mark_done_by_evidence
from meetops.risks.selectors import readiness_of
from meetops.venues.coverage import gaps, problem
from meetops.venues.models import Booking, Building, Site
from meetops.venues.services.booking import book_room
from meetops.venues.services.rooms import add_blackout

pytestmark = pytest.mark.django_db


def test_gaps_of_a_meeting_between_its_bookings(at):
    assert gaps(at(0, 9), at(0, 12), [(at(0, 10), at(0, 11)), (at(0, 8), at(0, 9, 30))]) == [
        (at(0, 9, 30), at(0, 10)),
        (at(0, 11), at(0, 12)),
    ]
    assert gaps(at(0, 9), at(0, 12), [(at(0, 9), at(0, 10, 30)), (at(0, 10), at(0, 12))]) == []


def test_a_booking_that_misses_the_meeting_is_warned_and_does_not_satisfy_p22(
    organiser, make_meeting, room, at
):
    meeting = make_meeting(start=at(0, 14))  # 14:00–16:00
    early = book_room(room, meeting=meeting, start=at(0, 8), end=at(0, 10), actor=organiser)
    with translation.override("en"):
        assert "does not cover the meeting" in problem(early, meeting)
    assert not is_met("venues.booking_confirmed", meeting)
    covering = book_room(room, meeting=meeting, start=at(0, 13, 30), end=at(0, 16), actor=organiser)
    assert problem(covering, meeting) == ""
    assert is_met("venues.booking_confirmed", meeting)


def test_named_parts_may_be_shorter_and_together_cover_the_meeting(
    organiser, make_meeting, make_room, at
):
    meeting = make_meeting(start=at(0, 9), hours=4)  # 09:00–13:00
    morning, afternoon = make_room("甲"), make_room("乙")
    rehearsal = book_room(
        morning, meeting=meeting, start=at(-1, 15), end=at(-1, 16), actor=organiser, part="彩排"
    )
    assert problem(rehearsal, meeting) == "" and rehearsal.part == "彩排"
    book_room(morning, meeting=meeting, start=at(0, 9), end=at(0, 11), actor=organiser, part="上午")
    assert not is_met("venues.booking_confirmed", meeting)  # 11:00–13:00 has no room yet
    book_room(
        afternoon, meeting=meeting, start=at(0, 11), end=at(0, 13), actor=organiser, part="下午"
    )
    assert is_met("venues.booking_confirmed", meeting)


def test_p21_is_satisfied_by_a_room_booked_for_the_meeting_or_a_written_place(
    organiser, make_meeting, room, at
):
    meeting = make_meeting(start=at(0, 9), goals="定下季度目标", location="")
    assert not is_met("meetings.plan_complete", meeting)
    book_room(room, meeting=meeting, start=at(0, 8), end=at(0, 10), actor=organiser)
    assert not is_met("meetings.plan_complete", meeting)  # a room, but not for its time
    book_room(room, meeting=meeting, start=at(0, 10), end=at(0, 12), actor=organiser)
    assert is_met("meetings.plan_complete", meeting)
    written = make_meeting(start=at(1, 9), goals="定下季度目标", location="三楼大会议室")
    assert is_met("meetings.plan_complete", written)


def test_moving_the_meeting_moves_its_bookings_with_their_margins(
    organiser, make_meeting, make_room, at
):
    meeting = make_meeting(start=at(0, 9))  # 09:00–11:00
    room, side = make_room("主会场"), make_room("彩排厅")
    whole = book_room(room, meeting=meeting, start=at(0, 8, 30), end=at(0, 11), actor=organiser)
    rehearsal = book_room(
        side, meeting=meeting, start=at(-1, 15), end=at(-1, 16), actor=organiser, part="彩排"
    )
    with translation.override("en"):
        moved = update_meeting(meeting, actor=organiser, start=at(1, 14), end=at(1, 17))
    whole.refresh_from_db()
    rehearsal.refresh_from_db()
    assert (whole.start, whole.end) == (at(1, 13, 30), at(1, 17))  # half an hour to set up
    # Still as long before the meeting as it was (18 hours): the rehearsal keeps its place.
    assert (rehearsal.start, rehearsal.end) == (at(0, 20), at(0, 21))
    assert whole.effective_end == at(1, 17) and whole.not_moved == ""
    assert any("moved with the meeting" in note for note in moved.reschedule_notes)
    assert AuditEntry.objects.filter(action="venues.booking.moved").count() == 2
    assert is_met("venues.booking_confirmed", moved)


def test_a_booking_that_cannot_follow_is_flagged_named_and_turns_p22_and_readiness_back(
    organiser, make_meeting, room, at
):
    meeting = make_meeting(start=at(0, 9))
    booking = book_room(room, meeting=meeting, start=at(0, 9), end=at(0, 11), actor=organiser)
    step = MeetingStep.objects.get(meeting=meeting, clause="P2.2")
    _mark_done_by_evidence(step)
    assert readiness_of(meeting).item("room_booked").evidence is True
    other = make_meeting(title="别的会", start=at(1, 9))
    book_room(room, meeting=other, start=at(1, 9), end=at(1, 11), actor=organiser)

    with translation.override("en"):
        moved = update_meeting(meeting, actor=organiser, start=at(1, 9), end=at(1, 11))

    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.status) == (at(0, 9), at(0, 11), "confirmed")
    assert booking.not_moved == "booking_conflict"
    notes = " ".join(moved.reschedule_notes)
    assert room.name in notes and "could not move with the meeting" in notes
    assert "P2.2" in notes  # the step the mover just lost
    step.refresh_from_db()
    assert step.status == StepStatus.OPEN
    assert AuditEntry.objects.filter(action="policy.step.reopened").exists()
    assert AuditEntry.objects.filter(action="venues.booking.not_moved").exists()
    with translation.override("en"):
        assert "could not follow" in problem(booking, meeting)
    assert readiness_of(moved).item("room_booked").evidence is False


def test_a_closure_at_the_new_time_keeps_the_booking_flagged_until_it_moves(
    organiser, admin_user, make_meeting, room, at
):
    meeting = make_meeting(start=at(0, 9))
    booking = book_room(room, meeting=meeting, start=at(0, 9), end=at(0, 11), actor=organiser)
    add_blackout(room, start=at(2, 0), end=at(2, 23), reason="装修", actor=admin_user)
    update_meeting(meeting, actor=organiser, start=at(2, 9), end=at(2, 11))
    booking.refresh_from_db()
    assert booking.not_moved == "room_blackout" and booking.start == at(0, 9)
    # Moved again to a free day: the flagged booking tries the meeting's own time and is clear.
    update_meeting(meeting, actor=organiser, start=at(3, 9), end=at(3, 11))
    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.not_moved) == (at(3, 9), at(3, 11), "")


@pytest.fixture
def building(db):
    return Building.objects.create(site=Site.objects.create(name="总部"), name="A座")


def test_the_grid_opens_on_the_meetings_day_with_its_length_and_books_its_whole_time(
    client, organiser, make_meeting, make_room, building, at
):
    room = make_room("A01", building=building)
    meeting = make_meeting(start=at(0, 7, 15), hours=3)  # 07:15–10:15, before the usual 08:00
    client.force_login(organiser)
    page = client.get(f"/venues/buildings/{building.pk}/grid?meeting={meeting.pk}").content.decode()
    assert at(0).date().isoformat() in page  # the meeting's day, not today
    assert '<option value="180" selected>' in page  # its length, not an hour
    assert 'data-time="07:30"' in page and 'class="free in-meeting"' in page
    assert 'name="whole"' in page
    client.post(
        f"/venues/buildings/{building.pk}/book",
        {"whole": room.pk, "meeting": meeting.pk, "duration": 60},
        headers={"HX-Request": "true"},
    )
    booking = Booking.objects.get()
    assert (booking.start, booking.end) == (meeting.start, meeting.end)


def test_a_grid_booking_that_misses_the_meeting_says_so(
    client, organiser, make_meeting, make_room, building, at
):
    room = make_room("A02", building=building)
    meeting = make_meeting(start=at(0, 14))
    client.force_login(organiser)
    response = client.post(
        f"/venues/buildings/{building.pk}/book",
        {"cell": f"{room.pk}|{at(0, 9).isoformat()}", "meeting": meeting.pk, "duration": 60},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    # The warning names the booking's and the meeting's times, in whatever language is active.
    warning = text.split("flash warning")[1].split("</div>")[0]
    assert "09:00–10:00" in warning and "14:00–16:00" in warning
    assert Booking.objects.filter(meeting=meeting).count() == 1
    client.post(
        f"/venues/buildings/{building.pk}/book",
        {
            "cell": f"{room.pk}|{at(-1, 9).isoformat()}",
            "meeting": meeting.pk,
            "duration": 60,
            "part": "rehearsal",
        },
        headers={"HX-Request": "true"},
    )
    assert Booking.objects.get(meeting=meeting, part="rehearsal").start == at(-1, 9)
