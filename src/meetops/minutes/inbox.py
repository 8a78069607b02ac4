"""What minutes add to "Waiting for me" (core.inbox): the submitted minutes `REVIEW` says the
user decides (core.decisions): the host's, or the organisers' when there is no host or the host
submitted them. One query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, submitted_items
from meetops.minutes.decisions import REVIEW
from meetops.people.models import User


def minutes_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = REVIEW.pending_for(user).order_by("submitted_at", "id")[:limit]
    return submitted_items(rows, "minutes", _("Minutes to review"), "minutes")
