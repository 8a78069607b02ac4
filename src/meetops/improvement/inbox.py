"""What the case library adds to "Waiting for me" (core.inbox): the submitted cases `CASE` says
the user decides (core.decisions): approvers, never the case's proposer. One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem
from meetops.improvement.decisions import CASE
from meetops.people.models import User


def cases_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = CASE.pending_for(user).order_by("updated_at", "id")[:limit]
    return [
        WaitingItem(
            "case",
            _("Case to approve"),
            c.meeting,
            reverse("case_detail", args=[c.pk]),
            c.updated_at,
            str(c.proposed_by or ""),
            subject=c.title,
        )
        for c in rows
    ]
