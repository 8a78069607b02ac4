"""What the archive adds to "Waiting for me" (core.inbox): the destruction proposals
`DESTRUCTION` says the user decides (core.decisions): leaders and admins who may see the
dossier, never the proposer (P7.10). One query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem
from meetops.people.models import User
from meetops.records.decisions import DESTRUCTION

URL = "/archive/destruction/"


def destructions_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = DESTRUCTION.pending_for(user).order_by("proposed_at", "id")[:limit]
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
