"""What room booking adds to "Waiting for me" (core.inbox): bookings awaiting approval, for the
room's administrators and system administrators (who approve them). One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem
from meetops.people.models import User
from meetops.venues.selectors import pending_for_approver


def bookings_waiting(user: User, limit: int) -> list[WaitingItem]:
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
        for b in pending_for_approver(user)[:limit]
    ]
