"""What the archive adds to "Waiting for me" (core.inbox): the destruction proposals
`DESTRUCTION` says the user decides (core.decisions): leaders and admins who may see the
dossier, never the proposer (P7.10); for one person or many alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, one_of
from meetops.people.models import User
from meetops.records.decisions import DESTRUCTION
from meetops.records.models import Destruction

URL = "/archive/destruction/"


def destructions_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """What `DESTRUCTION` says awaits each of these people (`DecisionFlow.pending_many`)."""
    return {pk: _items(rows) for pk, rows in DESTRUCTION.pending_many(users, limit).items()}


# One person's inbox is the batch of one: the rule exists once (ADR 0021).
destructions_waiting = one_of(destructions_waiting_many)


def _items(rows: Iterable[Destruction]) -> list[WaitingItem]:
    return [
        WaitingItem(
            "destruction",
            _("Archive destruction to approve"),
            r.dossier.meeting,
            URL,
            r.proposed_at,
            str(r.proposed_by or ""),
        )
        for r in rows
    ]
