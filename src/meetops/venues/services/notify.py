"""The notification hook of room booking.

`notify(...)` is the one place booking events reach people. For now it writes
an audit entry (`venues.notification`) and a log line; the notification outbox
(another app) will replace its body and keep this signature.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from meetops.core import audit

if TYPE_CHECKING:
    from meetops.people.models import User
    from meetops.venues.models import Booking

logger = logging.getLogger("meetops.venues.notify")

EVENTS = (
    "booking_requested",  # to room administrators: a booking waits for approval
    "booking_approved",  # to the organisers
    "booking_rejected",  # to the organisers
    "booking_released",  # to the organisers: nobody checked in
    "waitlist_offered",  # to the organisers: the slot they queued for is theirs (pending)
)


def notify(*, event: str, booking: Booking, recipients: Sequence[User], **data: Any) -> None:
    """Tell people about a booking event. Called after commit."""
    names = [u.get_username() for u in recipients if u is not None]
    logger.info("venues %s booking=%s recipients=%s", event, booking.pk, ",".join(names))
    audit.record(
        "venues.notification",
        booking,
        actor=None,
        data={"event": event, "recipients": names, **{k: str(v) for k, v in data.items()}},
    )
