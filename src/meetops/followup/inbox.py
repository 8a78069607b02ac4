"""The follow-up's part of "Waiting for me" (core.inbox, ADR 0021): escalations to answer,
finished items to accept, one's own items to do, and proposals to change the follow-up
rules to decide (only for those who may: no query for others), one query each."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem
from meetops.followup.selectors import (
    awaiting_acceptance_by,
    open_escalations_for,
    open_items_of,
)
from meetops.followup.services.rules import proposals_waiting_for
from meetops.people.models import User


def waiting_items(user: User, limit: int) -> list[WaitingItem]:
    items = [
        WaitingItem(
            "escalation",
            _("Problem reported to you"),
            e.action.meeting,
            f"/followup/actions/{e.action_id}/",
            e.created_at,
            str(e.raised_by or ""),
        )
        for e in open_escalations_for(user, limit=limit)
    ]
    items += [
        WaitingItem(
            "acceptance",
            _("Finished action item to accept"),
            a.meeting,
            f"/followup/actions/{a.pk}/",
            a.completed_at,
            str(a.owner or ""),
        )
        for a in awaiting_acceptance_by(user, limit=limit)
    ]
    items += [
        WaitingItem(
            "action",
            _("Action item to do"),
            a.meeting,
            f"/followup/actions/{a.pk}/",
            a.created_at,
            "",
            subject=a.title,
        )
        for a in open_items_of(user, limit=limit)
    ]
    items += [
        WaitingItem(
            "rules_proposal",
            _("Proposed change of the follow-up rules to decide"),
            None,
            "/followup/rules/",
            p.created_at,
            str(p.proposed_by),
            subject=_("Follow-up rules"),
        )
        for p in proposals_waiting_for(user)[:limit]
    ]
    return items
