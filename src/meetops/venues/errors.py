"""Domain errors of room booking, with the details a caller needs to recover."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError
from meetops.venues.permissions import can_see_booking_owner

if TYPE_CHECKING:
    from meetops.people.models import User
    from meetops.venues.models import Blackout, Booking


class BookingConflict(DomainError):
    """The room is already held (buffers included) in the requested interval. HTTP 409."""

    status = 409

    def __init__(self, **details: Any) -> None:
        super().__init__(
            _("The room is already booked from %(start)s to %(end)s.")
            % {"start": _short(details.get("start")), "end": _short(details.get("end"))},
            "booking_conflict",
            **details,
        )


class RoomBlackedOut(DomainError):
    status = 409

    def __init__(self, blackout: Blackout) -> None:
        super().__init__(
            _("The room is closed then: %(reason)s")
            % {"reason": blackout.reason or _("maintenance")},
            "room_blackout",
            room_id=blackout.room_id,
            start=blackout.start.isoformat(),
            end=blackout.end.isoformat(),
            reason=blackout.reason,
        )


def _short(value: Any) -> str:
    return str(value or "")[:16].replace("T", " ")


def conflict_from(booking: Booking, *, actor: User | None) -> BookingConflict:
    """The error for a clash with `booking`, naming its owner only if the actor may see the meeting."""
    from django.utils import timezone

    local = timezone.localtime
    details: dict[str, Any] = {
        "room_id": booking.room_id,
        "start": local(booking.start).isoformat(),
        "end": local(booking.end).isoformat(),
        "blocked_until": local(booking.effective_end).isoformat(),
        "status": booking.status,
    }
    if actor is not None and can_see_booking_owner(actor, booking):
        details.update(
            booking_id=booking.pk,
            meeting_id=booking.meeting_id,
            meeting_title=booking.meeting.title,
            booked_by=str(booking.created_by) if booking.created_by_id else None,
        )
    return BookingConflict(**details)
