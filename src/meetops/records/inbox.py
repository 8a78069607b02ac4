"""What the archive adds to "Waiting for me" (core.inbox): the destruction proposals
`DESTRUCTION` says the user decides (core.decisions): leaders and admins who may see the
dossier, never the proposer (P7.10). One query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, per_person
from meetops.meetings.permissions import can_view_meeting
from meetops.meetings.selectors import prime_meeting_access
from meetops.people.models import Role, User
from meetops.records.decisions import DESTRUCTION
from meetops.records.models import Destruction, DestructionStatus
from meetops.records.permissions import is_archivist

URL = "/archive/destruction/"


def destructions_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = DESTRUCTION.pending_for(user).order_by("proposed_at", "id")[:limit]
    return _items(rows)


def destructions_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`destructions_waiting` of each person: the twin of `records.decisions.proposals_waiting`
    (archivists see every dossier, others those of meetings they may see)."""
    rows = list(
        Destruction.objects.filter(status=DestructionStatus.PROPOSED)
        .select_related("dossier__meeting", "proposed_by")
        .order_by("proposed_at", "id")
    )
    prime_meeting_access(users, [r.dossier.meeting for r in rows])

    def waits(user: User, destruction: Destruction) -> bool:
        return (
            user.has_role(Role.LEADER, Role.ADMIN)
            and destruction.proposed_by_id != user.pk
            and (is_archivist(user) or can_view_meeting(user, destruction.dossier.meeting))
        )

    return {pk: _items(picked) for pk, picked in per_person(users, rows, waits, limit).items()}


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
