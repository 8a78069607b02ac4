"""What the archive adds to the "Waiting for me" inbox (reports.inbox): destructions proposed by
someone else, for leaders and admins who may see the dossier (P7.10). One query."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.people.models import Role, User
from meetops.records.models import Destruction
from meetops.records.selectors import open_proposals

LABEL = _("Archive destruction to approve")
URL = "/archive/destruction/"
LIMIT = 200


def destructions_waiting(user: User) -> list[Destruction]:
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return []
    return list(
        open_proposals(user).exclude(proposed_by=user).select_related("dossier__meeting")[:LIMIT]
    )
