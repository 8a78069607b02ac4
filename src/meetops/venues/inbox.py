"""What room booking adds to "Waiting for me" (core.inbox): the pending bookings `BOOKING` says
the user decides (core.decisions): the room's administrators, every room for system
administrators. One query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, per_person
from meetops.people.models import User
from meetops.people.selectors import prime_people
from meetops.venues.decisions import BOOKING
from meetops.venues.models import Booking, BookingStatus, Room


def bookings_waiting(user: User, limit: int) -> list[WaitingItem]:
    # The flow lets a booker confirm an offer they asked for (`own_allowed`), but that is their
    # own answer on the meeting's bookings, not someone else's request waiting for them.
    rows = BOOKING.pending_for(user).exclude(created_by=user).order_by("start", "id")[:limit]
    return _items(rows)


def bookings_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`bookings_waiting` of each person: the twin of `venues.decisions.bookings_waiting`
    (the room's administrators, every room for admins; never the booker)."""
    rows = list(
        Booking.objects.filter(status=BookingStatus.PENDING)
        .select_related("room__building", "meeting", "created_by")
        .order_by("start", "id")
    )
    prime_people(users)
    administers: dict[int, set[int]] = defaultdict(set)
    links = Room.administrators.through.objects.filter(
        room__in={b.room_id for b in rows}, user__in=[u.pk for u in users]
    )
    for room_id, user_id in links.values_list("room_id", "user_id"):
        administers[user_id].add(room_id)

    def waits(user: User, booking: Booking) -> bool:
        mine = user.is_admin or booking.room_id in administers[user.pk]
        return mine and booking.created_by_id != user.pk

    return {pk: _items(picked) for pk, picked in per_person(users, rows, waits, limit).items()}


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
