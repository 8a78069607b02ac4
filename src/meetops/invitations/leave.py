"""Leave from a meeting (请假) with a substitute: the invitee asks to be excused and names who
goes in their place; the meeting's organisers decide (`decide_substitute`). The organisers are
told personally, and their work IM message offers Accept / Refuse (from_message.LEAVE).

Written to the outbox in the answer's transaction, so an answer that rolls back tells nobody.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.invitations.models import Invitation
from meetops.invitations.permissions import can_manage_invitations
from meetops.meetings.models import MeetingRole, holding
from meetops.notifications import events
from meetops.notifications.services import enqueue
from meetops.people.models import User

REQUESTED = events.register_event(
    "invitations.substitute.requested",
    _("An invitee asks for leave and names a substitute, waiting for your decision"),
    broadcast=False,
).code


def leave_url(invitation: Invitation) -> str:
    """The meeting's answers page, naming the request (its message's buttons find it by this)."""
    return f"/meetings/{invitation.meeting_id}/rsvp/?substitute={invitation.participant_id}"


def organisers(invitation: Invitation) -> list[User]:
    """Who decides: the meeting's organisers (and its creator), not the one asking."""
    meeting = invitation.meeting
    ids = set(
        meeting.participants.filter(holding(MeetingRole.ORGANISER), user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    if meeting.created_by_id:
        ids.add(meeting.created_by_id)
    ids.discard(invitation.participant.user_id)
    people = User.objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return [u for u in people if can_manage_invitations(u, meeting)]


def leave_requested(invitation: Invitation) -> int:
    """Tell the organisers that a substitute waits for their decision."""
    # Each answer naming a substitute is a new request (the invitee may change their mind).
    answered = int(invitation.responded_at.timestamp()) if invitation.responded_at else 0
    return enqueue(
        event=REQUESTED,
        recipients=organisers(invitation),
        meeting=invitation.meeting,
        context={
            "meeting": invitation.meeting,
            "person": invitation.participant.display_name,
            "substitute": invitation.substitute_name,
            "reason": invitation.reason,
            "url": leave_url(invitation),
        },
        dedupe_key=f"{REQUESTED}:{invitation.pk}:{answered}",
    )
