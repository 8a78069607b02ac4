"""What the archive adds to "Waiting for me" (core.inbox): destructions proposed by someone
else, for leaders and admins who may see the dossier (P7.10). One query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem
from meetops.people.models import Role, User
from meetops.records.selectors import open_proposals

URL = "/archive/destruction/"


def destructions_waiting(user: User, limit: int) -> list[WaitingItem]:
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return []
    rows = open_proposals(user).exclude(proposed_by=user).select_related("dossier__meeting")
    return [
        WaitingItem(
            "destruction",
            _("Archive destruction to approve"),
            r.dossier.meeting,
            URL,
            r.proposed_at,
            str(r.proposed_by or ""),
        )
        for r in rows[:limit]
    ]
