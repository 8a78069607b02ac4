"""The follow-up's part of "Waiting for me" (core.inbox, ADR 0021): escalations to answer,
finished items to accept, one's own items to do, and proposals to change the follow-up
rules to decide (only for those who may: no query for others), one query each.

`waiting_items_many` reads it for many people at once (the digest) in a fixed number of
queries; one person's is the batch of one. Each part reads the follow-up's one selector of its
rule (`open_escalations_to`, `awaiting_acceptance_many`, `open_items_owned_by`,
`RULES_CHANGE.pending_many`), which the follow-up's own pages and API read too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, by_person, one_of
from meetops.followup.models import Escalation, RulesProposal
from meetops.followup.selectors import (
    awaiting_acceptance_many,
    open_escalations_many,
    open_items_owned_by,
)
from meetops.followup.services.rules import RULES_CHANGE
from meetops.minutes.models import ActionItem
from meetops.people.models import User


def waiting_items_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`waiting_items` of each person, read for all of them together."""
    escalations = open_escalations_many(users, limit)
    accept = awaiting_acceptance_many(users, limit)
    own = by_person(users, open_items_owned_by(users), lambda a: a.owner_id, limit)
    proposals = RULES_CHANGE.pending_many(users, limit)
    return {
        user.pk: _items(
            escalations[user.pk], accept[user.pk], own[user.pk], proposals.get(user.pk, [])
        )
        for user in users
    }


# One person's inbox is the batch of one: each rule exists once (ADR 0021).
waiting_items = one_of(waiting_items_many)


def _items(
    escalations: Iterable[Escalation],
    accept: Iterable[ActionItem],
    own: Iterable[ActionItem],
    proposals: Iterable[RulesProposal],
) -> list[WaitingItem]:
    items = [
        WaitingItem(
            "escalation",
            _("Problem reported to you"),
            e.action.meeting,
            f"/followup/actions/{e.action_id}/",
            e.created_at,
            str(e.raised_by or ""),
        )
        for e in escalations
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
        for a in accept
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
        for a in own
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
        for p in proposals
    ]
    return items
