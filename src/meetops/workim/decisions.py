"""Deciding from a message (issue 12 item 5): a card's button → the same services as the pages.

This module is the hook the card callback (`/im/<platform>/card/`, and WeCom's events URL)
calls. Until deciding from a message is built, it refuses every action clearly: the person
sees that nothing was decided and follows the link instead.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError
from meetops.workim.platforms import CardOutcome, Event, Platform


def handle_card_action(platform: Platform, event: Event) -> CardOutcome:
    """Carry out the decision a card action asks for, once; what to show on the card.

    Raises DomainError when it cannot be decided from the message."""
    raise DomainError(
        _("Deciding from the message is not available. Open the link to decide."),
        "im_decisions_unavailable",
        platform=platform.key,
    )
