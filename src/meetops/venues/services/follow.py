"""A meeting's rooms follow its time: the meetings service calls this through its declared
`on_rescheduled` hook (venues/contributions.py), inside the move's transaction."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.venues.coverage import covers, span
from meetops.venues.models import HOLDING, Booking, Room
from meetops.venues.permissions import can_administer_room
from meetops.venues.services.booking import (
    _iso,
    _lock_rooms,
    _offer_freed_slot,
    _raise_if_taken,
    check_booking_rules,
)


def _target(
    booking: Booking, meeting: Meeting, old_start: datetime, old_end: datetime
) -> tuple[datetime, datetime] | None:
    """Where the booking goes now, or None when it may stay where it is."""
    shift = meeting.start - old_start
    if booking.part:  # a rehearsal the day before stays the day before
        return (booking.start + shift, booking.end + shift) if shift else None
    if covers(booking, meeting) and not booking.not_moved:
        return None
    if booking.not_moved:  # its own margins are lost: try the meeting's own time
        return meeting.start, meeting.end
    if booking.start <= old_start and booking.end >= old_end:  # keep set-up and clear-up margins
        return booking.start + shift, booking.end + (meeting.end - old_end)
    return booking.start + shift, booking.end + shift


def _refusal(
    booking: Booking, start: datetime, end: datetime, actor: User | None
) -> DomainError | None:
    room = booking.room
    privileged = actor is None or can_administer_room(actor, room)
    try:
        check_booking_rules(room, start, end, privileged=privileged)
        _raise_if_taken(room, start, end + room.buffer, actor=actor, exclude=booking.pk)
    except DomainError as exc:
        return exc
    return None


def _move(booking: Booking, start: datetime, end: datetime, actor: User | None) -> None:
    before = audit.snapshot(booking, ["start", "end"])
    booking.start, booking.end = start, end
    booking.effective_start, booking.effective_end = start, end + booking.room.buffer
    booking.not_moved = ""
    # A savepoint: on PostgreSQL the exclusion constraint may still refuse (a writer without
    # the room's lock cannot exist, but the constraint is the last line all the same).
    with transaction.atomic():
        booking.save(
            update_fields=[
                "start",
                "end",
                "effective_start",
                "effective_end",
                "not_moved",
                "updated_at",
            ]
        )
    audit.record(
        "venues.booking.moved",
        booking,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(booking, ["start", "end"])),
        data={"reason": "meeting_moved"},
    )


def _flag(booking: Booking, code: str, start: datetime, end: datetime, actor: User | None) -> None:
    booking.not_moved = code[:40]
    booking.save(update_fields=["not_moved", "updated_at"])
    audit.record(
        "venues.booking.not_moved",
        booking,
        actor=actor,
        data={"reason": code, "start": _iso(start), "end": _iso(end)},
    )


def follow_meeting(
    meeting: Meeting, old_start: datetime, old_end: datetime, actor: User | None
) -> list[str]:
    """Move the meeting's pending and confirmed bookings with its new time.

    Precondition: the caller holds the meeting's row lock (the lock order: meeting, rooms by
    id, bookings). Each booking is re-checked against the room's rules, other bookings and
    closures; one that cannot follow keeps its old time and is flagged (`not_moved`), never
    left looking fine. Returns a sentence for each room that moved or could not.
    """
    if meeting.is_over:
        return []
    query = Booking.objects.filter(meeting=meeting, status__in=HOLDING)
    room_ids = set(query.values_list("room_id", flat=True))
    if not room_ids:
        return []
    _lock_rooms(room_ids)
    later_first = (
        meeting.start > old_start
    )  # shifting later: the last one moves out of the way first
    bookings = sorted(
        query.select_related("room").order_by("start", "pk"),
        key=lambda b: (b.start, b.pk),
        reverse=later_first,
    )
    notes: list[str] = []
    freed: list[tuple[Room, datetime, datetime]] = []
    for booking in bookings:
        target = _target(booking, meeting, old_start, old_end)
        if target is None:
            continue
        start, end = target
        old = (booking.room, booking.effective_start, booking.effective_end)
        refusal = _refusal(booking, start, end, actor)
        if refusal is None:
            try:
                _move(booking, start, end, actor)
            except IntegrityError:
                booking.refresh_from_db()
                refusal = DomainError(_("The room is taken then."), "booking_conflict")
        if refusal is not None:
            _flag(booking, refusal.code, start, end, actor)
            notes.append(
                _(
                    "%(room)s could not move with the meeting: %(why)s It still holds "
                    "%(old)s and is marked for attention; book another room or change the booking."
                )
                % {
                    "room": booking.room,
                    "why": refusal.message,
                    "old": span(booking.start, booking.end),
                }
            )
            continue
        freed.append(old)
        notes.append(
            _("%(room)s moved with the meeting to %(when)s.")
            % {"room": booking.room, "when": span(booking.start, booking.end)}
        )
    for room, eff_start, eff_end in freed:
        _offer_freed_slot(room, eff_start, eff_end, actor=actor)
    return notes
