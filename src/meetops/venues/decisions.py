"""The room booking's approval in the one decision shape (core.decisions, ADR 0010).

A pending booking is confirmed or rejected by the room's administrators. Named exception to
"never by the submitter" (`own_allowed`): a room's administrators book it without approval,
and a booking offered from the waiting list for a room that needs no approval is confirmed by
the meeting's managers, who asked for it; approving a booking is about the room being free and
suitable, not a second opinion on the booker's judgement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError
from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import User
from meetops.people.selectors import prime_people
from meetops.venues.models import Booking, BookingStatus, Room
from meetops.venues.permissions import can_administer_room


def state_changed(booking: Booking) -> DomainError:
    return DomainError(
        _("The booking is no longer in a state that allows this."),
        "booking_state_changed",
        status=booking.status,
        expected=[BookingStatus.PENDING],
    )


def may_decide_booking(user: User, booking: Booking) -> bool:
    """The room's administrators; the meeting's managers when the room needs no approval."""
    return can_administer_room(user, booking.room) or (
        not booking.room.requires_approval and can_manage_meeting(user, booking.meeting)
    )


def pending_bookings(users: Sequence[User]) -> list[Booking]:
    """Pending bookings that may be put to these people: of rooms one of them administers (every
    room when one is a system administrator), soonest first, with who administers each room
    primed for `can_administer_room`. The flow's `candidates`."""
    prime_people(users)
    rows = Booking.objects.filter(status=BookingStatus.PENDING).select_related(
        "room__building", "meeting", "created_by"
    )
    ids = [u.pk for u in users]
    links = Room.administrators.through.objects.filter(user__in=ids)
    if not any(u.is_admin for u in users):
        rows = rows.filter(room__in=links.values("room_id"))
    found = list(rows.order_by("start", "id"))
    administers: dict[int, set[int]] = defaultdict(set)
    if found:
        pairs = links.filter(room__in={b.room_id for b in found}).values_list("room_id", "user_id")
        for room_id, user_id in pairs:
            administers[room_id].add(user_id)
    for booking in found:
        known = booking.room.__dict__.setdefault("_administered_by", {})
        for user in users:
            known.setdefault(user.pk, user.pk in administers[booking.room_id])
    return found


def asked_to_decide(user: User, booking: Booking) -> bool:
    """Whom a pending booking is put to: the room's administrators (every room for admins).

    Bookings a manager confirms themselves (offers for rooms needing no approval), and a room
    administrator's own, are left out: they are the booker's own answer, shown on the meeting's
    bookings."""
    return booking.created_by_id != user.pk and can_administer_room(user, booking.room)


BOOKING = DecisionFlow[Booking](
    name="venues.booking",
    state_field="status",
    awaiting=BookingStatus.PENDING,
    wrong_state=lambda booking, approve: state_changed(booking),
    submitter=lambda booking: booking.created_by_id,
    approved_action="venues.booking.approved",
    returned_action="venues.booking.rejected",
    may_decide=may_decide_booking,
    candidates=pending_bookings,
    asks=asked_to_decide,
    decided_by="approved_by",
    comment_limit=1000,
    comment_required=None,
    # For the code's readers (never shown): why the booker may confirm their own booking.
    own_allowed=(
        "Room administrators book without approval, and an offer from the waiting list for a "
        "room needing none is confirmed by those who asked for it."
    ),
)
