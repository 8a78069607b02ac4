"""The one notification of this app: a person's seat was given, moved or taken away, after invitations went out.

Written to the outbox in the caller's transaction, in the person's language
(in-app and e-mail). Texts: `templates/notifications/messages/seating.seat.changed/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from meetops.invitations.models import Invitation
from meetops.notifications import events
from meetops.notifications.services import enqueue

if TYPE_CHECKING:
    from meetops.meetings.models import Meeting, Participant
    from meetops.people.models import User
    from meetops.seating.models import Seat

SEAT_CHANGED = events.register_event(
    "seating.seat.changed", _("Your seat at a meeting was assigned or moved"), broadcast=False
).code


def tell_seat(
    participant: Participant, *, seat: Seat | None, meeting: Meeting, actor: User | None
) -> int:
    """Queue the message for an invited participant (nobody else: people not yet invited learn it with the invitation)."""
    invitation = Invitation.objects.filter(participant=participant).first()
    if invitation is None:
        return 0
    return enqueue(
        event=SEAT_CHANGED,
        recipients=[participant],
        meeting=meeting,
        actor=actor,
        context={
            "meeting": meeting,
            "participant": participant,
            "seat": seat,
            "url": f"/rsvp/{invitation.token}",
        },
    )
