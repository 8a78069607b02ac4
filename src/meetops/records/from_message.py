"""An archive destruction proposal offered as buttons on the leaders' personal message (work
IM cards, registry "message_decisions", issue 12), calling the same services as the
destruction page, through `records.services`, with the person who pressed as the actor.

Rejecting needs the reason, from the card's comment box. Approving names the two 监销人,
which a button cannot: the service refuses an approval without them
(`two_supervisors_required`), the card says so and keeps its buttons, and the link opens the
page where the leader names them, as the page itself would refuse a form without them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from meetops.core.decisions import message_ref, parse_message_ref, stale_message
from meetops.core.registry import MessageDecision
from meetops.people.models import User
from meetops.records import services
from meetops.records.models import Destruction, DestructionStatus
from meetops.records.notify import PROPOSED

# A proposal is decided once and never reopened: no version to compare.
VERSION = 0


def _ref(message: Any) -> str:
    pk = (parse_qs(urlsplit(message.url or "").query).get("proposal") or [""])[0]
    if not pk.isdigit():
        return ""
    found = Destruction.objects.filter(pk=int(pk), status=DestructionStatus.PROPOSED).exists()
    return message_ref(int(pk), VERSION) if found else ""


def _decide(ref: str, *, actor: User, approve: bool, comment: str) -> None:
    pk, _version = parse_message_ref(ref)
    destruction = Destruction.objects.filter(pk=pk).first()
    if destruction is None:
        raise stale_message()
    if approve:
        services.approve_destruction(destruction, actor=actor, supervisors=[], note=comment)
    else:
        services.reject_destruction(destruction, actor=actor, note=comment)


def _decided(ref: str) -> tuple[bool, str] | None:
    pk, _version = parse_message_ref(ref)
    destruction = (
        Destruction.objects.select_related("decided_by")
        .filter(pk=pk, status__in=[DestructionStatus.DONE, DestructionStatus.REJECTED])
        .first()
    )
    if destruction is None:
        return None
    return destruction.status == DestructionStatus.DONE, str(destruction.decided_by or "")


DESTRUCTION = MessageDecision(events=(PROPOSED,), ref=_ref, decide=_decide, decided=_decided)
