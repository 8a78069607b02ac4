"""What the case library adds to "Waiting for me" (core.inbox): the submitted cases `CASE` says
the user decides (core.decisions): approvers, never the case's proposer; for one person or many alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, one_of
from meetops.improvement.decisions import CASE
from meetops.improvement.models import Case
from meetops.people.models import User


def cases_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """What `CASE` says awaits each of these people (`DecisionFlow.pending_many`)."""
    return {pk: _items(rows) for pk, rows in CASE.pending_many(users, limit).items()}


# One person's inbox is the batch of one: the rule exists once (ADR 0021).
cases_waiting = one_of(cases_waiting_many)


def _items(rows: Iterable[Case]) -> list[WaitingItem]:
    return [
        WaitingItem(
            "case",
            _("Case to approve"),
            c.meeting,
            reverse("case_detail", args=[c.pk]),
            c.updated_at,
            str(c.proposed_by or ""),
            subject=c.title,
        )
        for c in rows
    ]
