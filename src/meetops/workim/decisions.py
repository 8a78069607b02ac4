"""Deciding from a message (issue 12 item 5): a card's button → the same services as the pages.

This module is the hook the card callback (`/im/<platform>/card/`, and WeCom's events URL)
calls. Until deciding from a message is built, it refuses every action clearly: the person
sees that nothing was decided and follows the link instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError
from meetops.workim.platforms import CardAction, CardOutcome, Event, Platform

if TYPE_CHECKING:
    from meetops.notifications.models import OutboxMessage


def card_actions(message: OutboxMessage) -> tuple[CardAction, ...]:
    """The buttons a work IM copy of this outbox message carries (its event, recipient,
    meeting and link tell what waits on the person). None yet: the link is the way."""
    return ()


def handle_card_action(platform: Platform, event: Event) -> CardOutcome:
    """Carry out the decision a card action asks for, once; what to show on the card.

    Raises DomainError when it cannot be decided from the message."""
    raise DomainError(
        _("Deciding from the message is not available. Open the link to decide."),
        "im_decisions_unavailable",
        platform=platform.key,
    )
