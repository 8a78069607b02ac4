"""Who hears about a destruction proposal: the leaders who may decide it (issue 12: what waits on
one person reaches them personally, and their work IM message offers Approve / Reject).

`services.propose_destruction` queues the message in the proposal's own transaction (outbox rows
commit or roll back with it).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications import events
from meetops.notifications.services import enqueue
from meetops.people.models import Role, User
from meetops.records.decisions import DESTRUCTION
from meetops.records.models import Destruction

PROPOSED = events.register_event(
    "records.destruction.proposed",
    _("An archive destruction proposal is waiting for your decision"),
    broadcast=False,
).code


def destruction_url(destruction: Destruction) -> str:
    """The destruction page, naming the proposal (its message's buttons find it by this)."""
    return f"/archive/destruction/?proposal={destruction.pk}"


def deciders(destruction: Destruction) -> list[User]:
    """The leaders who may decide it and see the dossier, never the proposer."""
    leaders = (
        User.objects.filter(role_assignments__role=Role.LEADER, is_active=True)
        .exclude(pk__in=[destruction.proposed_by_id or 0])
        .distinct()
        .order_by("pk")
    )
    return [u for u in leaders if DESTRUCTION.pending_for(u).filter(pk=destruction.pk).exists()]


def proposal_made(destruction: Destruction) -> int:
    """Tell the deciders that a proposal waits for them."""
    dossier = destruction.dossier
    return enqueue(
        event=PROPOSED,
        recipients=deciders(destruction),
        meeting=dossier.meeting,
        actor=destruction.proposed_by,
        context={
            "dossier": dossier,
            "destruction": destruction,
            "by": str(destruction.proposed_by or ""),
            "url": destruction_url(destruction),
        },
        dedupe_key=f"{PROPOSED}:{destruction.pk}",
    )
