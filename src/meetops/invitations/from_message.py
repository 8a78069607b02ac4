"""An invitation's answer offered as Accept / Decline buttons on the invitee's personal message
(work IM cards, registry "message_decisions", issue 12): the same `respond` as the personal
link's page, for the invitee only (the linked account must be the invited person)."""

from __future__ import annotations

from typing import Any

from meetops.core.decisions import message_ref, parse_message_ref
from meetops.core.errors import NotFound
from meetops.core.registry import MessageDecision
from meetops.invitations.mail import EVENTS, INVITE
from meetops.invitations.models import Invitation, Response
from meetops.invitations.services.invitations import respond
from meetops.people.models import User

# Answers may change until the deadline: the version is not checked.
VERSION = 0


def _ref(message: Any) -> str:
    invitation = (
        Invitation.objects.filter(
            meeting_id=message.meeting_id,
            participant__user_id=message.user_id,
            revoked_at__isnull=True,
        )
        .only("pk")
        .first()
    )
    return message_ref(invitation.pk, VERSION) if invitation else ""


def _decide(ref: str, *, actor: User, approve: bool, comment: str) -> None:
    pk, _version = parse_message_ref(ref)
    invitation = Invitation.objects.select_related("participant", "meeting").filter(pk=pk).first()
    if invitation is None or invitation.participant.user_id != actor.pk:
        raise NotFound()
    respond(invitation, response=Response.ACCEPT if approve else Response.DECLINE, reason=comment)


def _decided(ref: str) -> tuple[bool, str] | None:
    pk, _version = parse_message_ref(ref)
    invitation = (
        Invitation.objects.select_related("participant")
        .filter(pk=pk, response__in=[Response.ACCEPT, Response.DECLINE])
        .first()
    )
    if invitation is None:
        return None
    return invitation.response == Response.ACCEPT, invitation.participant.display_name


RSVP = MessageDecision(
    events=(EVENTS[INVITE],), ref=_ref, decide=_decide, decided=_decided, answer="accept"
)
