"""Leaving the waiting list. Joining and offers live with booking (they share the room's lock)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied
from meetops.people.models import User
from meetops.venues.models import WaitlistEntry
from meetops.venues.permissions import can_withdraw_waitlist_entry


def withdraw_waitlist_entry(entry: WaitlistEntry, *, actor: User) -> WaitlistEntry:
    """Leave the queue. Preconditions: the entry is still waiting (an offered entry already
    became a pending booking: cancel that instead); the actor queued it or manages the meeting."""
    if not can_withdraw_waitlist_entry(actor, entry):
        raise PermissionDenied()
    with transaction.atomic():
        # Compare-and-set: an offer made in the meantime wins, and the caller is told.
        changed = WaitlistEntry.objects.filter(
            pk=entry.pk, status=WaitlistEntry.Status.WAITING
        ).update(status=WaitlistEntry.Status.WITHDRAWN)
        if not changed:
            entry.refresh_from_db(fields=["status", "booking"])
            raise DomainError(
                _("This request is no longer waiting; it was %(status)s.")
                % {"status": entry.get_status_display().lower()},
                "waitlist_not_waiting",
                status=entry.status,
                booking_id=entry.booking_id,
            )
        entry.status = WaitlistEntry.Status.WITHDRAWN
        audit.record(
            "venues.waitlist.withdrawn",
            entry,
            actor=actor,
            data={"room": entry.room_id, "meeting": entry.meeting_id},
        )
    return entry
