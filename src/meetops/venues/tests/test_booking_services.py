"""Booking services: conflicts with buffers, approval, cancel, waiting list, no-show release, series."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from meetops.core.errors import DomainError, PermissionDenied
from meetops.core.models import AuditEntry
from meetops.meetings.services import transition_meeting
from meetops.notifications.models import OutboxMessage
from meetops.policy.models import StepDefinition
from meetops.policy.rules import is_met
from meetops.venues.decisions import BOOKING
from meetops.venues.models import Booking, BookingStatus, Room, WaitlistEntry
from meetops.venues.services.booking import (
    approve_booking,
    book_room,
    cancel_booking,
    check_in,
    join_waitlist,
    move_booking,
    reject_booking,
    release_no_shows,
)
from meetops.venues.services.rooms import add_blackout, update_room
from meetops.venues.services.series import book_series

pytestmark = pytest.mark.django_db


def test_booking_is_confirmed_audited_and_satisfies_the_venue_rule(
    organiser, make_meeting, room, at
):
    meeting = make_meeting(start=at(0, 9))
    booking = book_room(room, meeting=meeting, start=at(0, 9), end=at(0, 11), actor=organiser)
    assert booking.status == BookingStatus.CONFIRMED
    assert (booking.effective_start, booking.effective_end) == (at(0, 9), at(0, 11))
    assert AuditEntry.objects.filter(
        action="venues.booking.created", object_id=str(booking.pk)
    ).exists()
    assert is_met("venues.booking_confirmed", meeting)


def test_default_template_books_the_venue_automatically():
    step = StepDefinition.objects.get(template__is_current=True, clause="P2.2")
    assert (step.completion, step.rule) == ("automatic", "venues.booking_confirmed")


def test_overlap_is_refused_with_the_conflicting_interval(organiser, make_meeting, room, at):
    first = book_room(
        room, meeting=make_meeting(title="A"), start=at(0, 9), end=at(0, 11), actor=organiser
    )
    with pytest.raises(DomainError) as exc:
        book_room(
            room, meeting=make_meeting(title="B"), start=at(0, 10), end=at(0, 12), actor=organiser
        )
    assert exc.value.code == "booking_conflict" and exc.value.status == 409
    assert exc.value.details["booking_id"] == first.pk
    assert exc.value.details["start"].startswith(at(0, 9).isoformat()[:16])
    assert Booking.objects.count() == 1


def test_buffer_keeps_a_gap_after_each_booking(organiser, make_meeting, make_room, at):
    room = make_room(buffer_minutes=15)
    book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser)
    with pytest.raises(DomainError) as exc:
        book_room(room, meeting=make_meeting(), start=at(0, 10), end=at(0, 11), actor=organiser)
    assert exc.value.code == "booking_conflict"
    later = book_room(
        room, meeting=make_meeting(), start=at(0, 10, 15), end=at(0, 11), actor=organiser
    )
    assert later.effective_end == at(0, 11, 15)


def test_owner_is_hidden_from_who_may_not_see_the_meeting(
    organiser, make_user, make_meeting, room, at
):
    book_room(
        room,
        meeting=make_meeting(confidentiality="confidential"),
        start=at(0, 9),
        end=at(0, 10),
        actor=organiser,
    )
    other = make_user("other_org", roles=("organiser",))
    with pytest.raises(DomainError) as exc:
        book_room(
            room, meeting=make_meeting(actor=other), start=at(0, 9), end=at(0, 10), actor=other
        )
    assert "booking_id" not in exc.value.details and "meeting_title" not in exc.value.details
    assert "start" in exc.value.details and "end" in exc.value.details


def test_member_cannot_book_for_a_meeting_they_do_not_manage(member, make_meeting, room, at):
    with pytest.raises(PermissionDenied):
        book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=member)


def test_room_limited_to_a_role(organiser, make_meeting, make_room, at):
    room = make_room(allowed_roles=["leader"])
    with pytest.raises(PermissionDenied) as exc:
        book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser)
    assert exc.value.code == "room_not_bookable"


@pytest.mark.parametrize(
    ("fields", "start", "end", "code"),
    [
        ({"max_booking_minutes": 60}, (0, 9), (0, 11), "booking_too_long"),
        ({"bookable_days_ahead": 1}, (0, 9), (0, 10), "too_far_ahead"),
        ({"open_time": "08:00", "close_time": "18:00"}, (0, 17), (0, 19), "outside_bookable_hours"),
        ({"open_weekdays": "67"}, (0, 9), (0, 10), "outside_bookable_hours"),
    ],
)
def test_room_rules(organiser, make_meeting, make_room, at, fields, start, end, code):
    from datetime import time

    fields = {k: time.fromisoformat(v) if k.endswith("_time") else v for k, v in fields.items()}
    room = make_room(**fields)
    with pytest.raises(DomainError) as exc:
        book_room(room, meeting=make_meeting(), start=at(*start), end=at(*end), actor=organiser)
    assert exc.value.code == code


def test_blackout_refuses_bookings(organiser, admin_user, make_meeting, room, at):
    add_blackout(room, start=at(0, 8), end=at(0, 12), reason="装修", actor=admin_user)
    with pytest.raises(DomainError) as exc:
        book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser)
    assert exc.value.code == "room_blackout"


def test_approval_holds_the_slot_and_rejection_releases_it(
    organiser, make_user, make_meeting, make_room, at
):
    approver = make_user("approver", roles=("staff",))
    room = make_room(requires_approval=True, administrators=[approver])
    pending = book_room(
        room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    assert pending.status == BookingStatus.PENDING
    with pytest.raises(DomainError) as exc:
        book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser)
    assert exc.value.code == "booking_conflict"
    with pytest.raises(PermissionDenied):
        approve_booking(pending, actor=organiser)
    rejected = reject_booking(pending, actor=approver, reason="另有安排")
    assert rejected.status == BookingStatus.REJECTED
    again = book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser)
    assert approve_booking(again, actor=approver).status == BookingStatus.CONFIRMED
    with pytest.raises(DomainError) as exc:
        approve_booking(again, actor=approver)
    assert exc.value.code == "booking_state_changed"


def test_cancelling_the_meeting_releases_its_rooms(
    organiser, make_meeting, room, at, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    booking = book_room(room, meeting=meeting, start=at(0, 9), end=at(0, 10), actor=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        transition_meeting(meeting, to="cancelled", actor=organiser)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_waiting_list_gets_the_slot_when_it_frees(
    organiser, make_user, make_meeting, room, at, django_capture_on_commit_callbacks
):
    other = make_user("second", roles=("organiser",))
    first = book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 11), actor=organiser)
    queued_meeting = make_meeting(actor=other)
    with pytest.raises(DomainError) as exc:
        join_waitlist(
            room, meeting=make_meeting(actor=other), start=at(1, 9), end=at(1, 10), actor=other
        )
    assert exc.value.code == "slot_free"
    entry = join_waitlist(room, meeting=queued_meeting, start=at(0, 10), end=at(0, 11), actor=other)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(first, actor=organiser)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    offered = entry.booking
    assert offered.status == BookingStatus.PENDING and offered.meeting == queued_meeting
    assert AuditEntry.objects.filter(action="venues.waitlist.offered").exists()
    # The waiting organiser is told, in the same transaction as the offer.
    assert list(
        OutboxMessage.objects.filter(event="venues.waitlist.offered").values_list(
            "user__username", "channel"
        )
    ) == [("second", "inapp")]  # the bell; the organiser has no e-mail address
    # The room needs no approval: the organiser accepts the offer, their own booking (the
    # decision shape's named exception, BOOKING.own_allowed).
    assert BOOKING.is_own(offered, other) and BOOKING.can_decide(other, offered)
    assert approve_booking(offered, actor=other).status == BookingStatus.CONFIRMED


def test_no_show_is_released_unless_checked_in(
    organiser, make_meeting, make_room, at, django_capture_on_commit_callbacks
):
    room = make_room(release_if_no_checkin_minutes=15)
    kept = book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser)
    lost = book_room(room, meeting=make_meeting(), start=at(0, 11), end=at(0, 12), actor=organiser)
    check_in(kept, actor=organiser, now=at(0, 9, 5))
    assert release_no_shows(now=at(0, 9, 20)) == []
    assert release_no_shows(now=at(0, 11, 10)) == []
    with django_capture_on_commit_callbacks(execute=True):
        released = release_no_shows(now=at(0, 11, 16))
    assert [b.pk for b in released] == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == BookingStatus.RELEASED
    assert release_no_shows(now=at(0, 11, 20)) == []
    # The organiser is told once (the bell; no e-mail address), however often the job runs.
    assert list(
        OutboxMessage.objects.filter(event="venues.booking.released").values_list("user", "channel")
    ) == [(organiser.pk, "inapp")]


def test_check_in_window(organiser, make_meeting, room, at):
    booking = book_room(
        room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    with pytest.raises(DomainError) as exc:
        check_in(booking, actor=organiser, now=at(0, 8))
    assert exc.value.code == "check_in_closed"


def test_weekly_series_reports_conflicts_per_occurrence(organiser, make_meeting, room, at):
    blocker = book_room(
        room, meeting=make_meeting(title="占用"), start=at(14, 9), end=at(14, 10), actor=organiser
    )
    meeting = make_meeting(title="周会")
    with pytest.raises(DomainError) as exc:
        book_series(
            room,
            meeting=meeting,
            rule="FREQ=WEEKLY;COUNT=4",
            first_start=at(0, 9),
            duration_minutes=60,
            actor=organiser,
        )
    assert exc.value.code == "series_conflicts"
    [problem] = exc.value.details["occurrences"]
    assert problem["code"] == "booking_conflict" and problem["start"].startswith(
        at(14, 9).isoformat()[:16]
    )
    assert Booking.objects.count() == 1
    result = book_series(
        room,
        meeting=meeting,
        rule="weekly",
        count=4,
        first_start=at(0, 9),
        duration_minutes=60,
        actor=organiser,
        skip_conflicts=True,
    )
    assert [b.start for b in result.bookings] == [at(0, 9), at(7, 9), at(21, 9)]
    # Move one occurrence, cancel another: the rest stay.
    moved = move_booking(result.bookings[0], start=at(0, 14), end=at(0, 15), actor=organiser)
    cancel_booking(result.bookings[1], actor=organiser)
    statuses = dict(Booking.objects.filter(series=result.series).values_list("pk", "status"))
    assert statuses == {
        moved.pk: "confirmed",
        result.bookings[1].pk: "cancelled",
        result.bookings[2].pk: "confirmed",
    }
    assert Booking.objects.get(pk=moved.pk).start == at(0, 14)
    assert blocker.pk not in statuses


def test_monthly_and_custom_rules_expand(organiser, make_meeting, room, at):
    result = book_series(
        room,
        meeting=make_meeting(),
        rule="RRULE:FREQ=DAILY;BYDAY=TU,TH;COUNT=3",
        first_start=at(0, 9),
        duration_minutes=30,
        actor=organiser,
    )
    assert [b.start for b in result.bookings] == [at(0, 9), at(2, 9), at(7, 9)]
    monthly = book_series(
        room,
        meeting=make_meeting(),
        rule="monthly",
        count=2,
        first_start=at(0, 13),
        duration_minutes=30,
        actor=organiser,
    )
    assert len(monthly.bookings) == 2
    with pytest.raises(DomainError) as exc:
        book_series(
            room,
            meeting=make_meeting(),
            rule="FREQ=WEEKLY",
            first_start=at(0, 9),
            duration_minutes=30,
            actor=organiser,
        )
    assert exc.value.code == "rule_unbounded"


def test_room_update_is_audited(admin_user, room):
    update_room(room, actor=admin_user, capacity=20, facilities=["projector", "whiteboard"])
    entry = AuditEntry.objects.filter(action="venues.room.updated").latest("pk")
    assert entry.changes["capacity"] == [12, 20]
    assert entry.changes["facilities"] == [["projector"], ["projector", "whiteboard"]]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_database_refuses_overlap_even_past_the_service(organiser, make_meeting, room, at):
    booking = book_room(
        room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            meeting=booking.meeting,
            room=room,
            start=at(0, 9, 30),
            end=at(0, 11),
            effective_start=at(0, 9, 30),
            effective_end=at(0, 11),
            status="pending",
        )
    # Released and cancelled bookings do not hold the room.
    Booking.objects.create(
        meeting=booking.meeting,
        room=room,
        start=at(0, 9, 30),
        end=at(0, 11),
        effective_start=at(0, 9, 30),
        effective_end=at(0, 11),
        status="cancelled",
    )
    assert timedelta(0) < booking.end - booking.start


def test_demo_loads_rooms_and_books_the_demo_meetings(admin_user, make_meeting, at):
    from meetops.venues.demo import load_demo

    meeting = make_meeting(start=at(0, 10), expected_attendance=15)
    rooms = load_demo(meetings=[meeting], actor=admin_user)
    assert len(rooms) == 12 and Room.objects.filter(building__name="科研楼").count() == 6
    booking = Booking.objects.get(meeting=meeting)
    assert booking.room.capacity >= 15 and booking.start == at(0, 9, 30)
    assert load_demo(meetings=[], actor=admin_user)  # idempotent


def test_release_no_shows_command(organiser, make_meeting, make_room, at, time_machine):
    from io import StringIO

    from django.core.management import call_command

    room = make_room(release_if_no_checkin_minutes=10)
    book_room(room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser)
    time_machine.move_to(at(0, 9, 30))
    out = StringIO()
    call_command("venues", "release-no-shows", stdout=out)
    assert "1 released" in out.getvalue()
