"""Calendar replies received by mail become answers (ADR 0020).

An attendee's Accept or Decline in Outlook, Apple Calendar or Thunderbird is an
iMIP REPLY mailed to the invitation's ORGANIZER, which is the reply address
with that invitation's tag (`ics.reply_address`). The tag names the
invitation; the reply's ATTENDEE must be that invitation's person (compared
case-insensitively), so a reply never answers for someone else. The answer is
recorded by the same `respond` as the personal link's page, with the mail in
its audit entry. Every mail received is logged as a `CalendarReply`; the same
mail twice is applied once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from meetops.core import audit
from meetops.core.errors import DomainError
from meetops.invitations.ics import invitation_for_tag
from meetops.invitations.imip import NotAReply, Reply, digest_of, message_id_of, read_reply
from meetops.invitations.models import (
    CalendarReply,
    Invitation,
    InvitationSettings,
    ReplyOutcome,
    Response,
)
from meetops.invitations.services.invitations import respond

log = logging.getLogger("meetops.invitations.replies")

ANSWERS = {"ACCEPTED": Response.ACCEPT, "DECLINED": Response.DECLINE}
# Answers MeetOps has no state for: kept in the log and the audit, the invitation unchanged.
# TENTATIVE is MeetOps's "maybe": the invitation stays open (still counted as not answered,
# still reminded) and the RSVP page shows the organiser who said "maybe" in their calendar;
# a third answer would change the API's answer codes, the counts and the P2.3 rule.
NOTED = {"TENTATIVE": "tentative", "NEEDS-ACTION": ""}
# DELEGATED would propose a substitute, which needs a name and the organiser's decision that
# a calendar's DELEGATED-TO address does not give: refused, the personal link does it.
REFUSED = {"DELEGATED": "delegation_by_mail"}


@dataclass(frozen=True)
class Received:
    outcome: str  # a ReplyOutcome, or "duplicate"
    code: str = ""
    invitation_id: int | None = None


def _tagged(recipients: Sequence[str]) -> tuple[str, str]:
    """(address, tag): the first recipient that is the reply address plus an invitation tag."""
    local, _at, domain = settings.MEETOPS_MAIL_REPLY_ADDRESS.lower().rpartition("@")
    for address in recipients:
        name, _sep, host = address.lower().rpartition("@")
        base, plus, tag = name.partition("+")
        if plus and tag and base == local and host == domain:
            return address, tag
    return "", ""


def _log_row(raw: bytes, *, source: str, reply: Reply | None, **fields: object) -> bool:
    """Insert the log row; False when this mail was received before (its key is taken)."""
    digest = reply.digest if reply else digest_of(raw)
    message_id = reply.message_id if reply else message_id_of(raw)
    row = CalendarReply(
        key=reply.key if reply else digest,
        message_id=message_id,
        digest=digest,
        source=source[:10],
        sender=(reply.sender if reply else "")[:300],
        attendee=(reply.attendee if reply else "")[:300],
        partstat=(reply.partstat if reply else "")[:20],
        **fields,
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        _count_copy(row.key)
        return False
    return True


def _count_copy(key: str) -> bool:
    """Count one more arrival of a mail already logged; False when it was never logged."""
    return bool(CalendarReply.objects.filter(key=key).update(copies=F("copies") + 1))


def _refuse(
    raw: bytes,
    reply: Reply,
    *,
    source: str,
    code: str,
    invitation: Invitation | None,
    recipient: str = "",
) -> Received:
    log.warning(
        "calendar reply refused: %s (attendee %s, from %s, message %s)",
        code,
        reply.attendee,
        reply.sender,
        reply.message_id or reply.digest,
    )
    with transaction.atomic():
        if not _log_row(
            raw,
            source=source,
            reply=reply,
            invitation=invitation,
            recipient=recipient[:300],
            outcome=ReplyOutcome.REFUSED,
            code=code,
        ):
            return Received("duplicate")
        if invitation is not None:
            audit.record(
                "invitations.rsvp.mail_refused",
                invitation.meeting,
                actor=None,
                data={
                    "participant": invitation.participant_id,
                    "code": code,
                    "mail": _evidence(reply),
                },
            )
    return Received(ReplyOutcome.REFUSED, code, invitation.pk if invitation else None)


def _evidence(reply: Reply) -> dict[str, str]:
    return {
        "message_id": reply.message_id,
        "sha256": reply.digest,
        "from": reply.sender,
        "attendee": reply.attendee,
        "partstat": reply.partstat,
        **({"from_differs": "yes"} if reply.sender_differs else {}),
    }


def receive_calendar_reply(
    raw: bytes, *, source: str, envelope_recipients: Sequence[str] = ()
) -> Received:
    """Turn one received mail into an answer, or log why not. Never raises for bad mail.

    Preconditions for an answer: the mail is an iMIP REPLY with one event and one
    attendee; it was sent to a valid invitation tag; its UID is that meeting's and its
    SEQUENCE not older than the meeting's; its ATTENDEE is the invitation's person;
    `respond` accepts the answer (meeting ahead, deadline not passed).
    """
    try:
        reply = read_reply(raw, envelope_recipients=tuple(envelope_recipients))
    except NotAReply as exc:
        log.warning("mail at the reply address is no calendar reply: %s", exc.code)
        with transaction.atomic():
            fresh = _log_row(
                raw, source=source, reply=None, outcome=ReplyOutcome.MALFORMED, code=exc.code
            )
        return Received(ReplyOutcome.MALFORMED if fresh else "duplicate", exc.code)
    if _count_copy(reply.key):
        return Received("duplicate")
    recipient, tag = _tagged(reply.recipients)
    invitation = invitation_for_tag(tag) if tag else None
    if invitation is None:
        return _refuse(
            raw, reply, source=source, code="unknown_recipient", invitation=None, recipient=""
        )
    state = InvitationSettings.objects.filter(meeting_id=invitation.meeting_id).first()
    if state is None or state.ical_uid != reply.uid:
        return _refuse(
            raw,
            reply,
            source=source,
            code="unknown_event",
            invitation=invitation,
            recipient=recipient,
        )
    if reply.sequence < state.ical_sequence:
        return _refuse(
            raw,
            reply,
            source=source,
            code="stale_reply",
            invitation=invitation,
            recipient=recipient,
        )
    if reply.attendee != invitation.participant.email.strip().lower():
        return _refuse(
            raw,
            reply,
            source=source,
            code="attendee_mismatch",
            invitation=invitation,
            recipient=recipient,
        )
    return _apply(raw, reply, invitation, source=source, recipient=recipient)


def _apply(
    raw: bytes, reply: Reply, invitation: Invitation, *, source: str, recipient: str
) -> Received:
    if reply.partstat in REFUSED:
        return _refuse(
            raw,
            reply,
            source=source,
            code=REFUSED[reply.partstat],
            invitation=invitation,
            recipient=recipient,
        )
    answer = ANSWERS.get(reply.partstat)
    with transaction.atomic():
        if answer is None or answer == invitation.response:
            outcome = ReplyOutcome.UNCHANGED if answer else ReplyOutcome.NOTED
            code = "" if answer else NOTED.get(reply.partstat, "unknown_answer")
            if not _log_row(
                raw,
                source=source,
                reply=reply,
                invitation=invitation,
                recipient=recipient,
                outcome=outcome,
                code=code,
            ):
                return Received("duplicate")
            audit.record(
                "invitations.rsvp.mail_noted",
                invitation.meeting,
                actor=None,
                data={"participant": invitation.participant_id, "mail": _evidence(reply)},
            )
            return Received(outcome, code, invitation.pk)
        if not _log_row(
            raw,
            source=source,
            reply=reply,
            invitation=invitation,
            recipient=recipient,
            outcome=ReplyOutcome.APPLIED,
        ):
            return Received("duplicate")
        try:
            with transaction.atomic():
                respond(
                    invitation,
                    response=answer,
                    reason=reply.comment,
                    source_mail=_evidence(reply),
                )
        except DomainError as exc:
            CalendarReply.objects.filter(key=reply.key).update(
                outcome=ReplyOutcome.REFUSED, code=exc.code[:40]
            )
            audit.record(
                "invitations.rsvp.mail_refused",
                invitation.meeting,
                actor=None,
                data={
                    "participant": invitation.participant_id,
                    "code": exc.code,
                    "mail": _evidence(reply),
                },
            )
            log.warning("calendar reply not taken: %s (invitation %s)", exc.code, invitation.pk)
            return Received(ReplyOutcome.REFUSED, exc.code, invitation.pk)
    return Received(ReplyOutcome.APPLIED, "", invitation.pk)
