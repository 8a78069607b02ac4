"""Booking a room, and every later move of a booking: approve, reject, cancel, move, check in, release.

The write path for one room is serialised: PostgreSQL takes the room row's lock
(`select_for_update`), SQLite's IMMEDIATE transactions admit one writer at a
time. Inside that, overlap is re-checked; PostgreSQL's exclusion constraint is
the last line, and its violation becomes the same `booking_conflict` error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.prepared import Prepared, insert_where
from meetops.core.validation import check_datetime
from meetops.meetings.models import Meeting, MeetingRole
from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import User
from meetops.venues.decisions import BOOKING, may_decide_booking
from meetops.venues.errors import RoomBlackedOut, conflict_from
from meetops.venues.models import HOLDING, Blackout, Booking, BookingStatus, Room, WaitlistEntry
from meetops.venues.permissions import (
    can_administer_room,
    can_book_room,
    can_change_booking,
    can_check_in,
)
from meetops.venues.services.notify import notify
from meetops.venues.timeutil import room_tz

logger = logging.getLogger(__name__)

# No single booking may be longer, whatever the room allows. It bounds the
# look-back of every overlap query, so the (room, effective_start) index serves it.
MAX_BOOKING_SPAN = timedelta(days=14)
MAX_BUFFER_MINUTES = 240
LOOKBACK = MAX_BOOKING_SPAN + timedelta(minutes=MAX_BUFFER_MINUTES)
CHECK_IN_EARLY = timedelta(minutes=15)
EXCLUSION_CONSTRAINT = "venues_booking_no_overlap"


# ---------------------------------------------------------------- checks


def check_booking_rules(
    room: Room, start: datetime, end: datetime, *, privileged: bool, now: datetime | None = None
) -> None:
    """The room's own rules for an interval. Room administrators skip the advance limit."""
    check_datetime(start, field="start")
    check_datetime(end, field="end")
    for name, value in (("start", start), ("end", end)):
        if timezone.is_naive(value):
            raise ValidationFailed(
                _("Times need a time zone offset."), "naive_datetime", field=name
            )
    if end <= start:
        raise ValidationFailed(
            _("A booking must end after it starts."), "end_before_start", field="end"
        )
    now = now or timezone.now()
    if end <= now:
        raise ValidationFailed(_("This time is already over."), "booking_in_past", field="start")
    length = end - start
    if length > MAX_BOOKING_SPAN:
        raise ValidationFailed(
            _("A booking may last at most 14 days."), "booking_too_long", field="end"
        )
    if room.max_booking_minutes and length > timedelta(minutes=room.max_booking_minutes):
        raise ValidationFailed(
            _("This room may be booked for at most %(minutes)d minutes at a time.")
            % {"minutes": room.max_booking_minutes},
            "booking_too_long",
            field="end",
            max_minutes=room.max_booking_minutes,
        )
    if (
        room.bookable_days_ahead is not None
        and not privileged
        and start > now + timedelta(days=room.bookable_days_ahead)
    ):
        raise ValidationFailed(
            _("This room may be booked at most %(days)d days ahead.")
            % {"days": room.bookable_days_ahead},
            "too_far_ahead",
            field="start",
            days=room.bookable_days_ahead,
        )
    if not within_bookable_hours(room, start, end):
        raise ValidationFailed(
            _("The room is not bookable at that time of day."),
            "outside_bookable_hours",
            field="start",
            opens=room.open_time.isoformat() if room.open_time else None,
            closes=room.close_time.isoformat() if room.close_time else None,
            weekdays=room.open_weekdays,
        )


def within_bookable_hours(room: Room, start: datetime, end: datetime) -> bool:
    tz = room_tz(room)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if str(local_start.isoweekday()) not in room.open_weekdays:
        return False
    if room.open_time is None or room.close_time is None:
        return True
    if local_start.date() != (local_end - timedelta(microseconds=1)).date():
        return False
    close_ok = local_end.time() <= room.close_time or (
        local_end.time() == local_end.time().min and local_end.date() > local_start.date()
    )
    return local_start.time() >= room.open_time and close_ok


def holding_overlaps(
    room_id: int, eff_start: datetime, eff_end: datetime, *, exclude: int | None = None
) -> Any:
    """Holding bookings of a room whose buffered interval overlaps [eff_start, eff_end)."""
    qs = Booking.objects.filter(
        room_id=room_id,
        status__in=HOLDING,
        effective_start__lt=eff_end,
        effective_end__gt=eff_start,
        effective_start__gte=eff_start - LOOKBACK,
    )
    return qs.exclude(pk=exclude) if exclude else qs


# Compiled once per connection: the overlap checks of a booking's insert (core.prepared).
_overlapping = Prepared(
    lambda room_id, eff_start, eff_end, earliest: Booking.objects.filter(
        room_id=room_id,
        status__in=HOLDING,
        effective_start__lt=eff_end,
        effective_end__gt=eff_start,
        effective_start__gte=earliest,
    ).values_list("pk"),
    -1,
    datetime(2000, 1, 2, tzinfo=UTC),
    datetime(2000, 1, 3, tzinfo=UTC),
    datetime(2000, 1, 1, tzinfo=UTC),
)
_closed = Prepared(
    lambda room_id, eff_start, eff_end: Blackout.objects.filter(
        room_id=room_id, start__lt=eff_end, end__gt=eff_start
    ).values_list("pk"),
    -1,
    datetime(2000, 1, 2, tzinfo=UTC),
    datetime(2000, 1, 3, tzinfo=UTC),
)


def _free_condition(room_id: int, eff_start: datetime, eff_end: datetime) -> tuple[str, list[Any]]:
    """SQL that holds when no holding booking (as `holding_overlaps`) nor closure meets the interval."""
    taken, taken_params = _overlapping.sql(room_id, eff_start, eff_end, eff_start - LOOKBACK)
    closed, closed_params = _closed.sql(room_id, eff_start, eff_end)
    return f"NOT EXISTS ({taken}) AND NOT EXISTS ({closed})", [*taken_params, *closed_params]


def _raise_if_taken(
    room: Room,
    eff_start: datetime,
    eff_end: datetime,
    *,
    actor: User | None,
    exclude: int | None = None,
) -> None:
    clash = (
        holding_overlaps(room.pk, eff_start, eff_end, exclude=exclude)
        .select_related("meeting", "created_by", "room")
        .first()
    )
    if clash is not None:
        raise conflict_from(clash, actor=actor)
    blackout = Blackout.objects.filter(room=room, start__lt=eff_end, end__gt=eff_start).first()
    if blackout is not None:
        raise RoomBlackedOut(blackout)


def _is_overlap_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23P01" or EXCLUSION_CONSTRAINT in str(exc)


def _constraint_error(
    exc: IntegrityError,
    room: Room,
    eff_start: datetime,
    eff_end: datetime,
    *,
    actor: User | None,
    exclude: int | None = None,
) -> Exception:
    """The exclusion constraint fired (another writer won the race): the same conflict error as the check."""
    if not _is_overlap_violation(exc):
        return exc
    clash = (
        holding_overlaps(room.pk, eff_start, eff_end, exclude=exclude)
        .select_related("meeting", "created_by", "room")
        .first()
    )
    if clash is None:  # the other writer rolled back meanwhile; the caller may retry
        return DomainError(_("Someone else was booking this room; try again."), "booking_retry")
    return conflict_from(clash, actor=actor)


# Look-ups by primary key: PostgreSQL plans them once per connection (`plan_once`).
_room_lock = Prepared(
    lambda pk: Room.objects.select_for_update().filter(pk=pk).order_by().values_list("pk"),
    -1,
    plan_once=True,
)
_meeting_lock = Prepared(
    lambda pk: (
        Meeting.objects.select_for_update(no_key=True).only("stage").filter(pk=pk).order_by()
    ),
    -1,
    plan_once=True,
)


def _locked_stage(meeting_id: int) -> Meeting:
    """The meeting's stage under its lock (`FOR NO KEY UPDATE`), read inside the transaction."""
    found = _meeting_lock(meeting_id)
    if not found:
        raise Meeting.DoesNotExist()
    return found[0]


def _lock_room(room: Room) -> None:
    # PostgreSQL: one booking writer per room. SQLite: BEGIN IMMEDIATE already serialises
    # writers, and it has no row locks: the statement would only read the row for nothing.
    if connection.features.has_select_for_update:
        _room_lock(room.pk)


def _lock_rooms(room_ids: Iterable[int]) -> None:
    """Lock several rooms in id order, the one order every writer of more than one room uses."""
    list(
        Room.objects.select_for_update()
        .filter(pk__in=sorted(room_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _check_meeting_open(meeting: Meeting) -> None:
    # Meeting.is_over, not is_frozen: a held meeting books no more rooms.
    if meeting.is_over:
        raise DomainError(
            _("Rooms can only be booked for meetings still being planned or held."),
            "meeting_frozen",
        )


def _iso(value: datetime) -> str:
    return timezone.localtime(value).isoformat()


# ---------------------------------------------------------------- booking


def book_room(
    room: Room,
    *,
    meeting: Meeting,
    start: datetime,
    end: datetime,
    actor: User,
    note: str = "",
    part: str = "",
) -> Booking:
    """Reserve the room for the meeting, or for a named `part` of it (a rehearsal, a session).

    Preconditions: the actor manages the meeting and may book the room; the
    interval fits the room's rules; no holding booking overlaps it, buffers
    included. Needs approval → `pending` (it holds the slot), else `confirmed`.
    Raises `booking_conflict` (409) naming the conflicting interval.
    A booking without a part that does not cover the meeting is kept but warned about
    (`venues.coverage.problem`): P2.2 and readiness stay open until the meeting is covered.
    """
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    if not can_book_room(actor, room):
        raise PermissionDenied(_("You may not book this room."), "room_not_bookable")
    _check_meeting_open(meeting)
    privileged = can_administer_room(actor, room)
    check_booking_rules(room, start, end, privileged=privileged)
    status = (
        BookingStatus.PENDING
        if room.requires_approval and not privileged
        else BookingStatus.CONFIRMED
    )
    if status != BookingStatus.PENDING:
        # insert_booking is its own transaction; an outer one would only add a savepoint.
        return insert_booking(
            room,
            meeting=meeting,
            start=start,
            end=end,
            status=status,
            actor=actor,
            note=note,
            part=part,
        )
    with transaction.atomic():
        booking = insert_booking(
            room,
            meeting=meeting,
            start=start,
            end=end,
            status=status,
            actor=actor,
            note=note,
            part=part,
        )
        notify(
            event="booking_requested",
            booking=booking,
            recipients=list(room.administrators.all()),
        )
    return booking


def insert_booking(
    room: Room,
    *,
    meeting: Meeting,
    start: datetime,
    end: datetime,
    status: str,
    actor: User | None,
    note: str = "",
    series: Any = None,
    action: str = "venues.booking.created",
    part: str = "",
) -> Booking:
    """Write one booking under the room's lock, or raise the conflict. Callers check the rules first."""
    eff_start, eff_end = start, end + room.buffer
    try:
        with transaction.atomic():
            # The meeting before the room, in the order a cancellation takes them (it locks
            # the meeting, then releases its rooms), so the two never deadlock; and a meeting
            # cancelled meanwhile gets no booking.
            _check_meeting_open(_locked_stage(meeting.pk))
            _lock_room(room)
            booking = Booking(
                meeting=meeting,
                room=room,
                start=start,
                end=end,
                effective_start=eff_start,
                effective_end=eff_end,
                status=status,
                created_by=actor,
                note=note[:300],
                part=part.strip()[:100],
                series=series,
            )
            # One statement checks and writes: under the room's lock (SQLite: the one writer)
            # nothing can slip in between; the exclusion constraint stays the last line.
            # Planned once per connection on PostgreSQL: the room's id and a window bounded by
            # LOOKBACK make the (room, effective_start, effective_end) index scan the plan for
            # every value (the generic plan is the same one; docs/benchmarks.md, fifth pass).
            if not insert_where(
                booking, *_free_condition(room.pk, eff_start, eff_end), plan_once=True
            ):
                _raise_if_taken(room, eff_start, eff_end, actor=actor)
                raise DomainError(
                    _("Someone else was booking this room; try again."), "booking_retry"
                )
            audit.record(
                action,
                booking,
                actor=actor,
                data={
                    "meeting": meeting.pk,
                    "room": room.pk,
                    "start": _iso(start),
                    "end": _iso(end),
                    "status": status,
                    **({"part": booking.part} if booking.part else {}),
                },
                new_stream=True,  # the booking was inserted just above
            )
    except IntegrityError as exc:
        raise _constraint_error(exc, room, eff_start, eff_end, actor=actor) from exc
    return booking


def move_booking(booking: Booking, *, start: datetime, end: datetime, actor: User) -> Booking:
    """Move one booking (one occurrence of a series too) to another interval in the same room."""
    if not can_change_booking(actor, booking):
        raise PermissionDenied()
    room = booking.room
    check_booking_rules(room, start, end, privileged=can_administer_room(actor, room))
    eff_start, eff_end = start, end + room.buffer
    try:
        with transaction.atomic():
            _lock_room(room)
            current = Booking.objects.select_for_update().get(pk=booking.pk)
            if current.status not in HOLDING:
                raise DomainError(
                    _("Only a pending or confirmed booking can be moved."),
                    "booking_not_active",
                    status=current.status,
                )
            _raise_if_taken(room, eff_start, eff_end, actor=actor, exclude=current.pk)
            before = audit.snapshot(current, ["start", "end"])
            old = (current.effective_start, current.effective_end)
            current.start, current.end, current.effective_start, current.effective_end = (
                start,
                end,
                eff_start,
                eff_end,
            )
            current.not_moved = ""  # a person placed it: no longer left behind by a moved meeting
            current.save(
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
                current,
                actor=actor,
                changes=audit.diff(before, audit.snapshot(current, ["start", "end"])),
            )
            _offer_freed_slot(room, *old, actor=actor)
    except IntegrityError as exc:
        raise _constraint_error(
            exc, room, eff_start, eff_end, actor=actor, exclude=booking.pk
        ) from exc
    return current


def _change_status(
    booking: Booking,
    *,
    expect: Iterable[str],
    to: str,
    actor: User | None,
    action: str,
    data: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    only_unchecked: bool = False,
) -> Booking:
    """Compare-and-set the status; frees the slot for the waiting list when the booking stops holding it."""
    expect = list(expect)
    with transaction.atomic():
        _lock_room(booking.room)
        qs = Booking.objects.filter(pk=booking.pk, status__in=expect)
        if only_unchecked:
            qs = qs.filter(checked_in_at__isnull=True)
        if not qs.update(status=to, updated_at=timezone.now(), **(extra or {})):
            current = Booking.objects.filter(pk=booking.pk).values_list("status", flat=True).first()
            raise DomainError(
                _("The booking is no longer in a state that allows this."),
                "booking_state_changed",
                status=current,
                expected=expect,
            )
        before = booking.status
        booking.refresh_from_db()
        audit.record(
            action, booking, actor=actor, changes={"status": [before, to]}, data=data or {}
        )
        if before in HOLDING and to not in HOLDING:
            _offer_freed_slot(
                booking.room, booking.effective_start, booking.effective_end, actor=actor
            )
    return booking


def approve_booking(booking: Booking, *, actor: User) -> Booking:
    """Confirm a pending booking. Room administrators; the meeting's manager when the room needs no approval
    (a booking offered from the waiting list)."""
    if not may_decide_booking(actor, booking):
        raise PermissionDenied(
            _("Only the room's administrators approve its bookings."), "not_room_admin"
        )
    return _decide(booking, actor=actor, approve=True)


def reject_booking(booking: Booking, *, actor: User, reason: str = "") -> Booking:
    """Refuse a pending booking; the slot is released (and offered to the waiting list)."""
    if not can_administer_room(actor, booking.room):
        raise PermissionDenied(
            _("Only the room's administrators approve its bookings."), "not_room_admin"
        )
    return _decide(booking, actor=actor, approve=False, reason=reason)


def _decide(booking: Booking, *, actor: User, approve: bool, reason: str = "") -> Booking:
    """Approve or reject a pending booking and tell its organisers, in one transaction."""
    verb = "approved" if approve else "rejected"
    reason = reason or ""

    def lock() -> Booking:
        _lock_room(booking.room)
        return Booking.objects.select_for_update().get(pk=booking.pk)

    def move(locked: Booking, verdict: Verdict, stamped: list[str]) -> Audited:
        locked.status = BookingStatus.CONFIRMED if verdict.approve else BookingStatus.REJECTED
        locked.save(update_fields=["status", *stamped, "updated_at"])
        return Audited(
            locked,
            changes={"status": [BookingStatus.PENDING, locked.status]},
            data={} if verdict.approve else {"reason": verdict.comment},
        )

    def tell(locked: Booking, verdict: Verdict) -> None:
        if not verdict.approve:
            _offer_freed_slot(
                locked.room, locked.effective_start, locked.effective_end, actor=actor
            )
        notify(
            event=f"booking_{verb}",
            booking=locked,
            recipients=_organisers(locked),
            actor=actor,
            **({} if approve else {"reason": reason}),
        )

    return decide(
        BOOKING, actor=actor, approve=approve, comment=reason, lock=lock, move=move, notify=tell
    )


def cancel_booking(booking: Booking, *, actor: User, reason: str = "") -> Booking:
    """Give the room back. One occurrence of a series is cancelled alone."""
    if not can_change_booking(actor, booking):
        raise PermissionDenied()
    return _change_status(
        booking,
        expect=HOLDING,
        to=BookingStatus.CANCELLED,
        actor=actor,
        action="venues.booking.cancelled",
        data={"reason": reason[:1000]} if reason else None,
    )


def release_meeting_bookings(meeting: Meeting, *, actor: User | None) -> list[Booking]:
    """Cancel every holding booking of a meeting (the meeting was cancelled). No permission check:
    the caller already decided the meeting is cancelled.

    Lock order: the meeting (the caller holds it, FOR NO KEY UPDATE), then every room the meeting
    holds or waits for, by id, then the bookings read under those locks. A waiting-list offer to
    this meeting that committed meanwhile is among them; one that comes later sees the meeting
    cancelled and skips it.
    """
    room_ids = set(
        Booking.objects.filter(meeting=meeting, status__in=HOLDING).values_list("room", flat=True)
    ) | set(
        WaitlistEntry.objects.filter(
            meeting=meeting, status=WaitlistEntry.Status.WAITING
        ).values_list("room", flat=True)
    )
    _lock_rooms(room_ids)
    released = []
    for booking in (
        Booking.objects.filter(meeting=meeting, status__in=HOLDING)
        .select_related("room")
        .order_by("room_id", "pk")
    ):
        try:
            released.append(
                _change_status(
                    booking,
                    expect=HOLDING,
                    to=BookingStatus.CANCELLED,
                    actor=actor,
                    action="venues.booking.cancelled",
                    data={"reason": "meeting_cancelled"},
                )
            )
        except DomainError:
            continue  # someone changed it meanwhile; it no longer holds the room
    return released


def check_in(booking: Booking, *, actor: User, now: datetime | None = None) -> Booking:
    """Record that the meeting is in the room. From 15 minutes before the start until the end."""
    if not can_check_in(actor, booking):
        raise PermissionDenied()
    now = now or timezone.now()
    if not (booking.start - CHECK_IN_EARLY <= now < booking.end):
        raise DomainError(
            _("Check-in opens 15 minutes before the start and closes at the end."),
            "check_in_closed",
        )
    with transaction.atomic():
        updated = Booking.objects.filter(
            pk=booking.pk, status=BookingStatus.CONFIRMED, checked_in_at__isnull=True
        ).update(checked_in_at=now, checked_in_by=actor, updated_at=now)
        if not updated:
            raise DomainError(
                _("This booking cannot be checked in (already checked in, or not confirmed)."),
                "check_in_refused",
            )
        booking.refresh_from_db()
        audit.record("venues.booking.checked_in", booking, actor=actor)
    return booking


def release_no_shows(now: datetime | None = None) -> list[Booking]:
    """Release confirmed bookings nobody checked in within the room's grace period, and tell the organisers.

    Claims each by compare-and-set, so two workers never release (or notify) twice.
    Runs every minute in `meetops worker` (`venues.jobs`).
    """
    now = now or timezone.now()
    candidates = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        checked_in_at__isnull=True,
        room__release_if_no_checkin_minutes__isnull=False,
        start__lte=now,
        start__gte=now - MAX_BOOKING_SPAN,
        end__gt=now,
    ).select_related("room", "meeting")
    released = []
    for booking in candidates:
        if booking.start + timedelta(minutes=booking.room.release_if_no_checkin_minutes or 0) > now:
            continue
        try:
            with transaction.atomic():
                booking = _change_status(
                    booking,
                    expect=[BookingStatus.CONFIRMED],
                    to=BookingStatus.RELEASED,
                    actor=None,
                    action="venues.booking.released",
                    data={"reason": "no_check_in"},
                    only_unchecked=True,
                )
                notify(event="booking_released", booking=booking, recipients=_organisers(booking))
        except DomainError:
            continue
        released.append(booking)
    return released


# ---------------------------------------------------------------- waiting list


def join_waitlist(
    room: Room, *, meeting: Meeting, start: datetime, end: datetime, actor: User
) -> WaitlistEntry:
    """Queue for a taken slot. When it frees, the first in line gets a pending booking."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    if not can_book_room(actor, room):
        raise PermissionDenied(_("You may not book this room."), "room_not_bookable")
    _check_meeting_open(meeting)
    check_booking_rules(room, start, end, privileged=can_administer_room(actor, room))
    with transaction.atomic():
        _lock_room(room)
        if not holding_overlaps(room.pk, start, end + room.buffer).exists():
            raise DomainError(_("The slot is free: book it instead."), "slot_free")
        entry = WaitlistEntry.objects.create(
            room=room, meeting=meeting, start=start, end=end, created_by=actor
        )
        audit.record(
            "venues.waitlist.joined",
            entry,
            actor=actor,
            data={"meeting": meeting.pk, "room": room.pk, "start": _iso(start), "end": _iso(end)},
        )
    return entry


def _offer_freed_slot(
    room: Room, freed_start: datetime, freed_end: datetime, *, actor: User | None
) -> list[Booking]:
    """Inside the room's lock: give the freed interval to waiting requests, first come first served."""
    offered = []
    waiting = (
        WaitlistEntry.objects.filter(
            room=room,
            status=WaitlistEntry.Status.WAITING,
            start__lt=freed_end,
            end__gt=freed_start - room.buffer,
        )
        .select_related("meeting", "created_by")
        .order_by("created_at", "id")
    )
    for entry in waiting:
        eff_end = entry.end + room.buffer
        if entry.end <= timezone.now() or entry.meeting.is_over:
            continue  # too late, or the meeting was cancelled (perhaps in this very transaction)
        if holding_overlaps(room.pk, entry.start, eff_end).exists():
            continue
        if Blackout.objects.filter(room=room, start__lt=eff_end, end__gt=entry.start).exists():
            continue
        booking = Booking.objects.create(
            meeting=entry.meeting,
            room=room,
            start=entry.start,
            end=entry.end,
            effective_start=entry.start,
            effective_end=eff_end,
            status=BookingStatus.PENDING,
            created_by=entry.created_by,
            note=str(_("Offered from the waiting list")),
        )
        entry.status, entry.booking = WaitlistEntry.Status.OFFERED, booking
        entry.save(update_fields=["status", "booking"])
        audit.record(
            "venues.waitlist.offered",
            booking,
            actor=actor,
            data={"waitlist_entry": entry.pk, "meeting": entry.meeting_id},
        )
        notify(event="waitlist_offered", booking=booking, recipients=_organisers(booking))
        offered.append(booking)
    return offered


def _organisers(booking: Booking) -> list[User]:
    users = [
        p.user
        for p in booking.meeting.participants.filter(
            role=MeetingRole.ORGANISER, user__isnull=False
        ).select_related("user")
        if p.user is not None
    ]
    return users or ([booking.created_by] if booking.created_by else [])
