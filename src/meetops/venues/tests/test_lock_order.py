"""A waiting-list offer racing the cancellation of the meeting it offers to (PostgreSQL).

Both paths once took the room and the meeting in opposite orders: the cancellation locked the
meeting, then its rooms; cancelling a booking locked the room, then (inserting the offered
booking) waited for the queued meeting. PostgreSQL broke the cycle by aborting one of them.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from meetops.meetings.models import Meeting
from meetops.meetings.services import transition_meeting
from meetops.venues.models import HOLDING, Booking, BookingStatus, WaitlistEntry
from meetops.venues.services.booking import book_room, cancel_booking, join_waitlist

ROUNDS = 30


def _race(*calls):
    """Run the calls at the same moment, each in its own thread and connection; their errors."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_offer_racing_the_cancellation_of_the_queued_meeting(
    organiser, make_user, make_meeting, make_room, at
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deadlock detection are PostgreSQL's")
    other = make_user("second", roles=("organiser",))
    for n in range(ROUNDS):
        room, elsewhere = make_room(), make_room()
        holder = book_room(
            room,
            meeting=make_meeting(title=f"占用{n}"),
            start=at(n, 9),
            end=at(n, 11),
            actor=organiser,
        )
        queued = make_meeting(actor=other, title=f"候补{n}")
        # The queued meeting holds rooms of its own: the cancellation must release them all.
        book_room(room, meeting=queued, start=at(n, 14), end=at(n, 15), actor=other)
        book_room(elsewhere, meeting=queued, start=at(n, 9), end=at(n, 10), actor=other)
        entry = join_waitlist(room, meeting=queued, start=at(n, 10), end=at(n, 11), actor=other)

        errors = _race(
            lambda q=queued: transition_meeting(q, to="cancelled", actor=other),
            lambda h=holder: cancel_booking(h, actor=organiser),
        )

        assert errors == [], f"round {n}: {errors!r}"
        assert Meeting.objects.get(pk=queued.pk).stage == "cancelled"
        holder.refresh_from_db()
        assert holder.status == BookingStatus.CANCELLED
        # Whichever came first, a cancelled meeting keeps no room (an offer made just before
        # the cancellation is released with the rest), and nobody else holds this slot.
        assert not Booking.objects.filter(meeting=queued, status__in=HOLDING).exists()
        entry.refresh_from_db()
        assert entry.status in (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)
