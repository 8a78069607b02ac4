"""An invitation's answer offered as Accept / Decline buttons on the invitee's personal message
(work IM cards, registry "message_decisions", issue 12): the same `respond` as the personal
link's page, for the invitee only (the linked account must be the invited person). And leave
with a substitute (请假) offered to the organisers: the same `decide_substitute` as the
answers page, with the person who pressed as the actor."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.db import transaction

from meetops.core.decisions import message_ref, parse_message_ref, stale_message
from meetops.core.errors import NotFound
from meetops.core.registry import MessageDecision
from meetops.invitations.leave import REQUESTED
from meetops.invitations.mail import EVENTS, INVITE
from meetops.invitations.models import Invitation, Response, SubstituteStatus
from meetops.invitations.services.invitations import decide_substitute, respond
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


# --- leave with a substitute (请假), decided by the organisers ------------------------------


def _leave_version(invitation: Invitation) -> int:
    # A new request (the invitee answered again) stamps responded_at anew.
    return int(invitation.responded_at.timestamp()) if invitation.responded_at else 0


def _leave_ref(message: Any) -> str:
    participant = (parse_qs(urlsplit(message.url or "").query).get("substitute") or [""])[0]
    if not participant.isdigit():
        return ""
    invitation = (
        Invitation.objects.filter(
            meeting_id=message.meeting_id,
            participant_id=int(participant),
            substitute_status=SubstituteStatus.PENDING,
        )
        .only("pk", "responded_at")
        .first()
    )
    return message_ref(invitation.pk, _leave_version(invitation)) if invitation else ""


def _leave_decide(ref: str, *, actor: User, approve: bool, comment: str) -> None:
    pk, version = parse_message_ref(ref)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .filter(pk=pk)
            .first()
        )
        if invitation is None or _leave_version(invitation) != version:
            raise stale_message()
        decide_substitute(invitation, actor=actor, accept=approve)


def _leave_decided(ref: str) -> tuple[bool, str] | None:
    pk, version = parse_message_ref(ref)
    invitation = (
        Invitation.objects.select_related("substitute_decided_by")
        .filter(pk=pk, substitute_status__in=[SubstituteStatus.ACCEPTED, SubstituteStatus.REFUSED])
        .first()
    )
    if invitation is None or _leave_version(invitation) != version:
        return None
    # Decided before the invitation kept who decided: say what, not who.
    return (
        invitation.substitute_status == SubstituteStatus.ACCEPTED,
        str(invitation.substitute_decided_by or ""),
    )


LEAVE = MessageDecision(
    events=(REQUESTED,),
    ref=_leave_ref,
    decide=_leave_decide,
    decided=_leave_decided,
    answer="accept",
)
