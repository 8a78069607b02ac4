"""The archive destruction's approval in the one decision shape (core.decisions, ADR 0010).

An archivist proposes destroying a dossier whose retention has ended (P7.10); a leader or
admin approves or rejects it, never the person who proposed it (the code stays
`own_proposal`, as before the shape).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meetops.core.decisions import DecisionFlow
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.people.models import Role, User
from meetops.records.models import Destruction, DestructionStatus
from meetops.records.permissions import can_approve_destruction
from meetops.records.selectors import open_proposals


def proposals_waiting(user: User) -> QuerySet[Destruction]:
    """Open proposals of dossiers this leader may see, not their own."""
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return Destruction.objects.none()
    return open_proposals(user).exclude(proposed_by=user).select_related("dossier__meeting")


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
    pending=proposals_waiting,
    comment_field="decision_note",
    comment_limit=50000,
    comment_required=_reason_required,
    own_error=_own_proposal,
)
