"""What room booking adds to "Waiting for me" (core.inbox): the pending bookings `BOOKING` says
the user decides (core.decisions): the room's administrators, every room for system
administrators; for one person or many alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, one_of
from meetops.people.models import User
from meetops.venues.decisions import BOOKING
from meetops.venues.models import Booking


def bookings_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """What `BOOKING` says awaits each of these people (`DecisionFlow.pending_many`: the room's
    administrators, every room for admins; never the booker)."""
    return {pk: _items(rows) for pk, rows in BOOKING.pending_many(users, limit).items()}


# One person's inbox is the batch of one: the rule exists once (ADR 0021).
bookings_waiting = one_of(bookings_waiting_many)


def _items(rows: Iterable[Booking]) -> list[WaitingItem]:
    url = reverse("venues_approvals")
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
