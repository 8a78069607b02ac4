"""Who hears about budget approvals: leaders when something waits for them, the submitter when
it is decided. Messages go to the notification outbox in the caller's transaction, so a write
that rolls back tells nobody; the texts are `templates/notifications/messages/<event>/`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.budget.models import Budget
from meetops.budget.permissions import can_approve_budget
from meetops.notifications import events
from meetops.notifications.services import enqueue
from meetops.people.models import Role, User

REQUESTED = events.register_event(
    "budget.approval.requested",
    _("A meeting budget or settlement is waiting for your approval"),
    broadcast=False,
).code
DECIDED = events.register_event(
    "budget.approval.decided",
    _("Your meeting budget or settlement was approved or returned"),
    broadcast=False,
).code
# what → the words the message uses for it
WHAT = {"budget": _("budget"), "settlement": _("settlement")}


def _leaders_for(budget: Budget, actor: User) -> list[User]:
    leaders = User.objects.filter(role_assignments__role=Role.LEADER, is_active=True).exclude(
        pk=actor.pk
    )
    return [u for u in leaders.distinct() if can_approve_budget(u, budget.meeting)]


def approval_requested(budget: Budget, *, what: str, actor: User) -> int:
    """Tell the leaders who may decide that the budget (or its settlement) waits for them."""
    return enqueue(
        event=REQUESTED,
        recipients=_leaders_for(budget, actor),
        meeting=budget.meeting,
        actor=actor,
        context={
            "meeting": budget.meeting,
            "what": WHAT[what],
            "url": f"/meetings/{budget.meeting_id}/budget/",
        },
    )


def decided(
    budget: Budget, *, what: str, approved: bool, comment: str, recipient: User | None, actor: User
) -> int:
    """Tell the person who submitted it what the leader decided, with the comment."""
    return enqueue(
        event=DECIDED,
        recipients=[recipient] if recipient else [],
        meeting=budget.meeting,
        actor=actor,
        context={
            "meeting": budget.meeting,
            "what": WHAT[what],
            "approved": approved,
            "comment": comment,
            "leader": str(actor),
            "url": f"/meetings/{budget.meeting_id}/budget/",
        },
    )
