"""The one notification of this app: a high or critical risk event reaches the organisers and the risk's owner.

Written to the outbox in the caller's transaction (`notifications.services.enqueue`),
so an event that rolls back tells nobody. Texts: `templates/notifications/messages/risks.event.severe/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import MeetingRole
from meetops.notifications import events

if TYPE_CHECKING:
    from meetops.meetings.models import Meeting
    from meetops.people.models import User
    from meetops.risks.models import RiskEvent

SEVERE_EVENT = events.register_event(
    "risks.event.severe", _("A high or critical risk event was recorded"), broadcast=False
).code


def tell_severe_event(event: RiskEvent, *, meeting: Meeting, actor: User) -> int:
    """Queue the message for the organisers, the creator and the risk's owner (not the actor)."""
    from meetops.notifications.services import enqueue

    organisers = meeting.participants.filter(
        role=MeetingRole.ORGANISER, user__isnull=False
    ).select_related("user")
    owner = event.risk.owner if event.risk is not None else None
    people = [*(p.user for p in organisers), meeting.created_by, owner]
    recipients = {u.pk: u for u in people if u is not None}
    return enqueue(
        event=SEVERE_EVENT,
        recipients=list(recipients.values()),
        meeting=meeting,
        actor=actor,
        context={"event": event, "meeting": meeting, "url": f"/meetings/{meeting.pk}/risk-events/"},
        dedupe_key=f"{SEVERE_EVENT}:{event.pk}",
    )
