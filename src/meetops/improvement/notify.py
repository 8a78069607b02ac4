"""Notifications of this app: an improvement measure is overdue; a case waits for approval.

Texts: `templates/notifications/messages/<event>/`. Written to the outbox in the caller's
transaction (`notifications.services.enqueue`), so a case that rolls back tells nobody.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetops.improvement.decisions import may_decide_case
from meetops.improvement.permissions import APPROVER_ROLES
from meetops.notifications import events
from meetops.notifications.services import enqueue
from meetops.people.models import User as UserModel

if TYPE_CHECKING:
    from meetops.improvement.models import Case
    from meetops.people.models import User

MEASURE_OVERDUE = events.register_event(
    "improvement.measure.overdue", _("An improvement measure is overdue"), broadcast=False
)
CASE_WAITING = events.register_event(
    "improvement.case.waiting", _("A nominated case is waiting for your approval"), broadcast=False
)


def case_waiting(case: Case, *, actor: User) -> int:
    """Tell the approvers who may decide the submitted case (those whose inbox now lists it)."""
    approvers = (
        UserModel.objects.filter(role_assignments__role__in=APPROVER_ROLES, is_active=True)
        .exclude(pk=case.proposed_by_id or 0)
        .distinct()
        .order_by("pk")
    )
    return enqueue(
        event=CASE_WAITING.code,
        # The decision flow's own predicate: whoever is told finds the case in their inbox.
        recipients=[u for u in approvers if may_decide_case(u, case)],
        meeting=case.meeting,
        actor=actor,
        context={
            "case": case,
            "meeting": case.meeting,
            "by": str(actor),
            "url": reverse("case_detail", args=[case.pk]),
        },
        dedupe_key=f"{CASE_WAITING.code}:{case.pk}:{case.updated_at.isoformat()}",
    )
