"""Booking events reach people through the notification outbox, in their language, and by the worker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from meetops.notifications import events
from meetops.notifications.models import Notification, OutboxMessage
from meetops.venues.models import Booking, BookingStatus
from meetops.venues.services.booking import approve_booking, book_room, reject_booking

VENUE_EVENTS = (
    "venues.booking.requested",
    "venues.booking.approved",
    "venues.booking.rejected",
    "venues.booking.released",
    "venues.waitlist.offered",
)


def _speaking(user: Any, language: str, email: str) -> Any:
    user.language, user.email = language, email
    user.save(update_fields=["language", "email"])
    return user


@pytest.fixture
def approval_room(make_room: Any, make_user: Any) -> Any:
    room = make_room("董事会议室", requires_approval=True)
    admin = _speaking(make_user("roomadmin"), "zh-hant", "roomadmin@example.org")
    room.administrators.add(admin)
    return room


def test_booking_events_are_registered() -> None:
    assert set(VENUE_EVENTS) <= set(events.EVENTS)


@pytest.mark.django_db
def test_pending_booking_tells_the_room_administrators_in_their_language(
    organiser: Any, make_meeting: Any, approval_room: Any, at: Any
) -> None:
    booking = book_room(
        approval_room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    assert booking.status == BookingStatus.PENDING
    mail = OutboxMessage.objects.get(event="venues.booking.requested", channel="email")
    assert mail.address == "roomadmin@example.org"
    assert mail.subject == f"待審批：董事会议室，{at(0, 9):%Y-%m-%d} 09:00"
    assert "等待您審批" in mail.body and mail.url == "/venues/approvals"
    assert OutboxMessage.objects.filter(
        event="venues.booking.requested", channel="inapp", user__username="roomadmin"
    ).exists()


@pytest.mark.django_db
def test_approval_and_rejection_tell_the_organisers_not_the_approver(
    organiser: Any, make_meeting: Any, approval_room: Any, at: Any, make_user: Any
) -> None:
    _speaking(organiser, "en", "organiser@example.org")
    approver = approval_room.administrators.get()
    first = book_room(
        approval_room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    second = book_room(
        approval_room, meeting=make_meeting(), start=at(0, 11), end=at(0, 12), actor=organiser
    )
    approve_booking(first, actor=approver)
    reject_booking(second, actor=approver, reason="领导接待")
    approved = OutboxMessage.objects.get(event="venues.booking.approved", channel="email")
    assert approved.address == "organiser@example.org"
    assert approved.subject == f"Room booking approved: 董事会议室, {at(0, 9):%Y-%m-%d} 09:00"
    rejected = OutboxMessage.objects.get(event="venues.booking.rejected", channel="email")
    assert rejected.subject.startswith("Room booking rejected: 董事会议室")
    assert "Reason: 领导接待" in rejected.body
    assert not OutboxMessage.objects.filter(
        event__in=["venues.booking.approved", "venues.booking.rejected"], user=approver
    ).exists()


@pytest.mark.django_db
def test_simplified_chinese_texts(
    organiser: Any, make_meeting: Any, approval_room: Any, at: Any
) -> None:
    _speaking(organiser, "zh-hans", "organiser@example.org")
    booking = book_room(
        approval_room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    approve_booking(booking, actor=approval_room.administrators.get())
    mail = OutboxMessage.objects.get(event="venues.booking.approved", channel="email")
    assert mail.subject == f"会议室预订已批准：董事会议室，{at(0, 9):%Y-%m-%d} 09:00"
    assert "已获批准" in mail.body


@pytest.mark.django_db
def test_a_rolled_back_booking_tells_nobody(
    organiser: Any, make_meeting: Any, approval_room: Any, at: Any
) -> None:
    meeting = make_meeting()
    with pytest.raises(RuntimeError), transaction.atomic():
        book_room(approval_room, meeting=meeting, start=at(0, 9), end=at(0, 10), actor=organiser)
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and not Booking.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_burst_releases_a_no_show_and_tells_the_organiser(
    organiser: Any, make_meeting: Any, make_room: Any, at: Any, meetops_cli: Any
) -> None:
    room = make_room(release_if_no_checkin_minutes=15)
    booking = book_room(
        room, meeting=make_meeting(), start=at(0, 9), end=at(0, 10), actor=organiser
    )
    kept = book_room(room, meeting=make_meeting(), start=at(0, 11), end=at(0, 12), actor=organiser)
    # The first meeting began 20 minutes ago and nobody checked in.
    now = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(
        start=now - timedelta(minutes=20),
        end=now + timedelta(minutes=40),
        effective_start=now - timedelta(minutes=20),
        effective_end=now + timedelta(minutes=40),
    )
    code, _out, err = meetops_cli("worker", "--burst")
    assert code == 0, err
    booking.refresh_from_db()
    kept.refresh_from_db()
    assert (booking.status, kept.status) == (BookingStatus.RELEASED, BookingStatus.CONFIRMED)
    # The same burst delivered the organiser's bell entry.
    [note] = Notification.objects.filter(user=organiser)
    assert note.title.startswith("会议室已释放")
    # A second burst within the minute neither runs the job again nor tells anyone twice.
    meetops_cli("worker", "--burst")
    assert Notification.objects.filter(user=organiser).count() == 1


@pytest.mark.django_db
def test_cancelling_a_meeting_releases_its_room_and_the_waiting_list_gets_it_in_the_same_transaction(
    organiser: Any, make_user: Any, make_meeting: Any, room: Any, at: Any
) -> None:
    from meetops.meetings.services import transition_meeting
    from meetops.venues.models import WaitlistEntry
    from meetops.venues.services.booking import join_waitlist

    other = make_user("second", roles=("organiser",))
    cancelled = make_meeting(title="取消的会")
    held = book_room(room, meeting=cancelled, start=at(0, 9), end=at(0, 10), actor=organiser)
    # First in line: a meeting cancelled while it queued; it gets no offer.
    gone = make_meeting(actor=other, title="也取消了")
    gone_entry = join_waitlist(room, meeting=gone, start=at(0, 9), end=at(0, 10), actor=other)
    waiting = join_waitlist(
        room, meeting=make_meeting(actor=other), start=at(0, 9), end=at(0, 10), actor=other
    )
    transition_meeting(gone, to="cancelled", actor=other)
    with pytest.raises(RuntimeError), transaction.atomic():
        transition_meeting(cancelled, to="cancelled", actor=organiser)
        raise RuntimeError  # the cancellation rolls back: so does the release and the offer
    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED
    assert not OutboxMessage.objects.filter(event="venues.waitlist.offered").exists()

    transition_meeting(cancelled, to="cancelled", actor=organiser)
    held.refresh_from_db()
    waiting.refresh_from_db()
    gone_entry.refresh_from_db()
    assert held.status == BookingStatus.CANCELLED
    assert waiting.status == WaitlistEntry.Status.OFFERED
    assert gone_entry.status == WaitlistEntry.Status.WAITING
    assert OutboxMessage.objects.filter(
        event="venues.waitlist.offered", user__username="second"
    ).exists()
