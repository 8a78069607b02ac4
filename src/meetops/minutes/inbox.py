"""What minutes add to "Waiting for me" (core.inbox): the submitted minutes `REVIEW` says the
user decides (core.decisions): the host's, or the organisers' when there is no host or the host
submitted them; for one person or many alike."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, one_of, submitted_items
from meetops.minutes.decisions import REVIEW
from meetops.people.models import User


def minutes_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """What `REVIEW` says awaits each of these people (`DecisionFlow.pending_many`: the host;
    the meeting's managers when it has no host or the host submitted them)."""
    label = _("Minutes to review")
    return {
        pk: submitted_items(rows, "minutes", label, "minutes")
        for pk, rows in REVIEW.pending_many(users, limit).items()
    }


# One person's inbox is the batch of one: the rule exists once (ADR 0021).
minutes_waiting = one_of(minutes_waiting_many)
