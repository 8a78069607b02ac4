"""The minutes review offered as buttons on the reviewer's personal message (work IM cards,
registry "message_decisions", issue 12): the same services as the minutes page, with the
person who pressed the button as the actor."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from meetops.core.decisions import message_ref, parse_message_ref, stale_message
from meetops.core.registry import MessageDecision
from meetops.minutes import events
from meetops.minutes.models import Minutes, MinutesState
from meetops.minutes.services import approve_minutes, return_minutes
from meetops.people.models import User


def _ref(message: Any) -> str:
    minutes = (
        Minutes.objects.filter(meeting_id=message.meeting_id, state=MinutesState.SUBMITTED)
        .only("pk", "revision")
        .first()
    )
    return message_ref(minutes.pk, minutes.revision) if minutes else ""


def _decide(ref: str, *, actor: User, approve: bool, comment: str) -> None:
    pk, revision = parse_message_ref(ref)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(pk=pk).first()
        if minutes is None or minutes.revision != revision:
            raise stale_message()
        if approve:
            approve_minutes(minutes, actor=actor)
        else:
            return_minutes(minutes, actor=actor, comment=comment)


def _decided(ref: str) -> tuple[bool, str] | None:
    pk, revision = parse_message_ref(ref)
    minutes = (
        Minutes.objects.select_related("approved_by")
        .filter(pk=pk, revision=revision, state__in=[MinutesState.APPROVED, MinutesState.PUBLISHED])
        .first()
    )
    return (True, str(minutes.approved_by or "")) if minutes else None


MINUTES = MessageDecision(
    events=(events.MINUTES_SUBMITTED.code,), ref=_ref, decide=_decide, decided=_decided
)
