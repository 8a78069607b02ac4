"""The room booking's approval in the one decision shape (core.decisions, ADR 0010).

A pending booking is confirmed or rejected by the room's administrators. Named exception to
"never by the submitter" (`own_allowed`): a room's administrators book it without approval,
and a booking offered from the waiting list for a room that needs no approval is confirmed by
the meeting's managers, who asked for it; approving a booking is about the room being free and
suitable, not a second opinion on the booker's judgement.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError
from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import User
from meetops.venues.models import Booking, BookingStatus
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


def bookings_waiting(user: User) -> QuerySet[Booking]:
    """Pending bookings of rooms this user administers (every room for admins).

    Bookings a manager confirms themselves (offers for rooms needing no approval) are left
    out: they are the booker's own answer, shown on the meeting's bookings.
    """
    qs = Booking.objects.filter(status=BookingStatus.PENDING).select_related(
        "room__building", "meeting", "created_by"
    )
    if not user.is_admin:
        qs = qs.filter(room__administrators=user)
    return qs.order_by("start")


BOOKING = DecisionFlow[Booking](
    name="venues.booking",
    state_field="status",
    awaiting=BookingStatus.PENDING,
    wrong_state=lambda booking, approve: state_changed(booking),
    submitter=lambda booking: booking.created_by_id,
    approved_action="venues.booking.approved",
    returned_action="venues.booking.rejected",
    may_decide=may_decide_booking,
    pending=bookings_waiting,
    decided_by="approved_by",
    comment_limit=1000,
    comment_required=None,
    # For the code's readers (never shown): why the booker may confirm their own booking.
    own_allowed=(
        "Room administrators book without approval, and an offer from the waiting list for a "
        "room needing none is confirmed by those who asked for it."
    ),
)
