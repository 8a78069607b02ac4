"""The notification hook of room booking.

`notify(...)` is the one place booking events reach people: it writes the
messages to the notification outbox (`notifications.services.enqueue`) in
the caller's transaction, so a booking change that rolls back tells nobody,
and the outbox worker sends them after commit. The message texts are the
templates in `venues/templates/notifications/messages/<event>/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from meetops.notifications import events
from meetops.notifications.services import enqueue

if TYPE_CHECKING:
    from meetops.people.models import User
    from meetops.venues.models import Booking

# The booking events (short name → the notification event registered for it).
EVENTS = {
    # to room administrators: a booking waits for approval
    "booking_requested": events.register_event(
        "venues.booking.requested",
        _("A room booking is waiting for your approval"),
        broadcast=False,
    ).code,
    # to the organisers
    "booking_approved": events.register_event(
        "venues.booking.approved", _("Your room booking was approved"), broadcast=False
    ).code,
    # to the organisers
    "booking_rejected": events.register_event(
        "venues.booking.rejected", _("Your room booking was rejected"), broadcast=False
    ).code,
    # to the organisers: nobody checked in
    "booking_released": events.register_event(
        "venues.booking.released",
        _("Your room was released because nobody checked in"),
        broadcast=False,
    ).code,
    # to the organisers: the slot they queued for is theirs (pending)
    "waitlist_offered": events.register_event(
        "venues.waitlist.offered",
        _("A room slot you waited for is offered to you"),
        broadcast=False,
    ).code,
}


def notify(
    *,
    event: str,
    booking: Booking,
    recipients: Sequence[User],
    actor: User | None = None,
    **data: Any,
) -> int:
    """Queue the booking event's message for the recipients, in the caller's transaction.

    The actor (who caused it) is not told about their own doing.
    Returns the number of outbox rows written. The dedupe key makes a retried
    job (the no-show release) tell each person once per booking and event.
    """
    code = EVENTS[event]
    url = (
        "/venues/approvals" if event == "booking_requested" else f"/meetings/{booking.meeting_id}/"
    )
    return enqueue(
        event=code,
        recipients=[u for u in recipients if u is not None],
        meeting=booking.meeting,
        actor=actor,
        context={
            "booking": booking,
            "room": booking.room,
            "meeting": booking.meeting,
            "url": url,
            **data,
        },
        dedupe_key=f"{code}:{booking.pk}:{booking.updated_at.isoformat()}",
    )
