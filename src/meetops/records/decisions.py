"""The archive destruction's approval in the one decision shape (core.decisions, ADR 0010).

An archivist proposes destroying a dossier whose retention has ended (P7.10); a leader or
admin approves or rejects it, never the person who proposed it (the code stays
`own_proposal`, as before the shape).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings.selectors import prime_meeting_access
from meetops.people.models import Role, User
from meetops.people.selectors import prime_people
from meetops.records.models import Destruction, DestructionStatus
from meetops.records.permissions import can_approve_destruction, can_view_dossier


def open_proposals_for(users: Sequence[User]) -> list[Destruction]:
    """Open proposals, with what `can_view_dossier` asks about these people primed; none (and
    no query) when none of them is a leader or an admin. The flow's `candidates`."""
    prime_people(users)
    if not any(u.has_role(Role.LEADER, Role.ADMIN) for u in users):
        return []
    rows = list(
        Destruction.objects.filter(status=DestructionStatus.PROPOSED)
        .select_related("dossier__meeting", "proposed_by")
        .order_by("proposed_at", "id")
    )
    prime_meeting_access(users, [r.dossier.meeting for r in rows])
    return rows


def _own_proposal() -> DomainError:
    return PermissionDenied(_("Another person must decide on your own proposal."), "own_proposal")


def _reason_required() -> DomainError:
    return ValidationFailed(_("Say why the proposal is rejected."), "reason_required")


DESTRUCTION = DecisionFlow[Destruction](
    name="records.destruction",
    state_field="status",
    awaiting=DestructionStatus.PROPOSED,
    wrong_state=lambda destruction, approve: DomainError(
        _("This proposal has already been decided."), "already_decided"
    ),
    submitter=lambda destruction: destruction.proposed_by_id,
    approved_action="records.destruction.approved",
    returned_action="records.destruction.rejected",
    may_decide=can_approve_destruction,
    candidates=open_proposals_for,
    # Put to those who may see the dossier (the page finds only those).
    asks=lambda user, destruction: can_view_dossier(user, destruction.dossier),
    comment_field="decision_note",
    comment_limit=50000,
    comment_required=_reason_required,
    own_error=_own_proposal,
)
