"""Deciding from a message (issue 12 item 5): a card's button → the same services as the pages.

What waits on one person (a budget, a summary report, minutes, an emergency plan, a
destruction, a leave request, an invitation's answer) is declared by the app that owns it in
the registry's "message_decisions" store (`core.registry.MessageDecision`). This module is the
hub between that store and the platforms, and names no app:

- `card_actions(message)`: the buttons a personal message carries (Approve / Return, or
  Accept / Decline), in the recipient's language, each with `{"kind", "ref"}` as its value.
  Platforms with cards render them (Feishu interactive cards, WeCom `template_card`
  `button_interaction`); the others (DingTalk) show the link, which always works.
- `handle_card_action(platform, event)`: the platform has verified the callback; the person
  is found by their platform user id (the account directory sync linked), and the app's
  service is called with that account as the actor, so its permissions apply. It happens
  once: the event id is claimed in the decision's transaction (a replay does nothing and says
  so), and the service's own lock refuses a second decision (the card then says who decided
  first). Audited with source `im`.
- The card's update speaks its recipient's language (`User.language` of the person the
  outbox row went to), whoever pressed and whatever language the callback request carries:
  a card shared on Feishu is redrawn for everyone who sees it, and the platforms' callbacks
  say nothing about a language anyway.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.core.audit import audit_context
from meetops.core.errors import DomainError
from meetops.core.models import AuditSource
from meetops.core.registry import MessageDecision, registry
from meetops.notifications.models import OutboxMessage
from meetops.notifications.rendering import LANGUAGE_CODES, language_of
from meetops.people.models import User
from meetops.workim.platforms import CardAction, CardOutcome, Event, Platform
from meetops.workim.services import claim_once, linked_person

# The button keys; `approve`/`accept` say yes, `return`/`decline` say no.
YES = {"approve", "accept"}
NO = {"return", "decline"}
# Cards stay interactive for 30 days (Feishu); a replay within them finds its claim.
REPLAY_SECONDS = 31 * 24 * 3600


def _decisions() -> dict[str, MessageDecision]:
    return dict(registry["message_decisions"])


def card_actions(message: Any) -> tuple[CardAction, ...]:
    """The buttons for one outbox message (none when it offers no decision)."""
    for kind, decision in _decisions().items():
        if message.event not in decision.events:
            continue
        ref = decision.ref(message)
        if not ref:  # another decision may share the event ("approval.waiting")
            continue
        value = {"kind": kind, "ref": ref}
        with translation.override(message.language or settings.LANGUAGE_CODE):
            if decision.answer == "accept":
                return (
                    CardAction("accept", pgettext("decision", "Accept"), "primary", value),
                    CardAction("decline", pgettext("decision", "Decline"), "danger", value),
                )
            return (
                CardAction("approve", pgettext("decision", "Approve"), "primary", value),
                CardAction("return", pgettext("decision", "Return"), "danger", value),
            )
    return ()


def outcome_text(decision: MessageDecision, approved: bool, who: str = "") -> str:
    """ "Approved" / "Returned" (or "Accepted" / "Declined"), and by whom when given."""
    accept = decision.answer == "accept"
    if not who:
        if accept:
            return (
                pgettext("decision", "Accepted") if approved else pgettext("decision", "Declined")
            )
        return pgettext("decision", "Approved") if approved else pgettext("decision", "Returned")
    if accept:
        text = _("Accepted by %(who)s") if approved else _("Declined by %(who)s")
    else:
        text = _("Approved by %(who)s") if approved else _("Returned by %(who)s")
    return text % {"who": who}


class _Replayed(Exception):
    pass


def card_language(event: Event, presser: User | None = None) -> str:
    """The language the card's update speaks: its recipient's own (`User.language`).

    The recipient is the person the outbox row behind the card went to (the card carries
    the row's key, `message_key`); when that row is gone, the language the card was sent in,
    else the presser's (on WeCom each person's card is their own copy)."""
    key = str(event.data.get("message_key", ""))
    try:
        recipient = (
            OutboxMessage.objects.filter(uuid=uuid.UUID(key)).select_related("user").first()
            if key
            else None
        )
    except ValueError:
        recipient = None
    if recipient is not None and recipient.user is not None:
        return language_of(recipient.user)
    sent_in = str(event.data.get("language", "")).lower()
    if sent_in in LANGUAGE_CODES:
        return sent_in
    return language_of(presser)


def handle_card_action(platform: Platform, event: Event) -> CardOutcome:
    """Carry out the decision a card action asks for, once; what to show on the card, in the
    language of the card's recipient (`card_language`)."""
    data = event.data
    value = data.get("value") or {}
    action = str(data.get("action", ""))
    decision = _decisions().get(str(value.get("kind", "")))
    if decision is None or action not in YES | NO:
        language = card_language(event)
        with translation.override(language):
            return CardOutcome(
                ok=False,
                text=_("This button is not known. Open the link to decide."),
                code="unknown_action",
                language=language,
            )
    try:
        actor = linked_person(platform, str(data.get("user_id", "")))
    except DomainError as exc:
        language = card_language(event)
        with translation.override(language):
            return CardOutcome(ok=False, text=str(exc.message), code=exc.code, language=language)
    language = card_language(event, actor)
    with translation.override(language):
        return _decide(platform, decision, event, actor=actor, approve=action in YES)


def _decide(
    platform: Platform, decision: MessageDecision, event: Event, *, actor: User, approve: bool
) -> CardOutcome:
    language = translation.get_language()
    data = event.data
    ref = str((data.get("value") or {}).get("ref", ""))
    try:
        with audit_context(AuditSource.IM), transaction.atomic():
            if event.id and not claim_once(
                f"card:{platform.key}", event.id, seconds=REPLAY_SECONDS
            ):
                raise _Replayed
            decision.decide(ref, actor=actor, approve=approve, comment=str(data.get("comment", "")))
    except _Replayed:
        state = _state(decision, ref)
        return CardOutcome(
            ok=False,
            text=_join(_("Already handled: nothing more was done."), state),
            code="already_handled",
            settled=bool(state),
            language=language,
        )
    except DomainError as exc:
        state = _state(decision, ref)
        if state:
            return CardOutcome(ok=False, text=state, code=exc.code, settled=True, language=language)
        return CardOutcome(
            ok=False,
            text=_join(str(exc.message), _("Open the link to decide.")),
            code=exc.code,
            language=language,
        )
    return CardOutcome(
        ok=True, text=outcome_text(decision, approve), settled=True, language=language
    )


def _state(decision: MessageDecision, ref: str) -> str:
    try:
        decided = decision.decided(ref)
    except DomainError:
        return ""
    return outcome_text(decision, *decided) if decided else ""


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)
