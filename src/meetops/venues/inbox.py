"""What room booking adds to "Waiting for me" (core.inbox): the pending bookings `BOOKING` says
the user decides (core.decisions): the room's administrators, every room for system
administrators. One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem
from meetops.people.models import User
from meetops.venues.decisions import BOOKING


def bookings_waiting(user: User, limit: int) -> list[WaitingItem]:
    url = reverse("venues_approvals")
    # The flow lets a booker confirm an offer they asked for (`own_allowed`), but that is their
    # own answer on the meeting's bookings, not someone else's request waiting for them.
    rows = BOOKING.pending_for(user).exclude(created_by=user)[:limit]
    return [
        WaitingItem(
            "booking",
            _("Room booking to approve"),
            b.meeting,
            url,
            b.created_at,
            str(b.created_by or ""),
            subject=f"{b.meeting.title} · {b.room.name}",
        )
        for b in rows
    ]
