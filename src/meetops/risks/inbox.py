"""What risks add to "Waiting for me" (core.inbox): the emergency and security plans `PLAN` and
`SECURITY` say the user decides (core.decisions): leaders and admins who may see the meeting,
never the plan's submitter. For one person or many (the digest) alike: the flows'
`pending_many` (their candidates read once, their own rule per person)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, one_of, submitted_items
from meetops.people.models import User
from meetops.risks.decisions import PLAN
from meetops.risks.security.decisions import SECURITY


def plans_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    label = _("Emergency plan to approve")
    return {
        pk: submitted_items(rows, "emergency_plan", label, "emergency-plan")
        for pk, rows in PLAN.pending_many(users, limit).items()
    }


def security_plans_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    label = _("Security plan to approve")
    return {
        pk: submitted_items(rows, "security_plan", label, "security-plan")
        for pk, rows in SECURITY.pending_many(users, limit).items()
    }


# One person's inbox is the batch of one: each rule exists once (ADR 0021).
plans_waiting = one_of(plans_waiting_many)
security_plans_waiting = one_of(security_plans_waiting_many)
