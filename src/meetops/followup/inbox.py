"""The follow-up's part of "Waiting for me" (core.inbox, ADR 0021): escalations to answer,
finished items to accept, one's own items to do, and proposals to change the follow-up
rules to decide (only for those who may: no query for others), one query each.

For many people at once (the digest), `waiting_items_many` reads the same for all of them in
a fixed number of queries: each part is the twin of its selector, and
`tests/test_waiting_agrees.py` walks the demo's personas through both."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, by_person, one_of
from meetops.followup.models import (
    Escalation,
    EscalationState,
    RulesProposal,
)
from meetops.followup.selectors import awaiting_acceptance_many
from meetops.followup.services.rules import RULES_CHANGE
from meetops.meetings.models import frozen_q
from meetops.minutes.models import ActionItem, ActionState
from meetops.people.models import User


def waiting_items_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`waiting_items` of each person, read for all of them together."""
    escalations = _open_escalations_many(users, limit)
    accept = awaiting_acceptance_many(users, limit)
    own = by_person(users, _open_items(users), lambda a: a.owner_id, limit)
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


def _open_escalations_many(users: Sequence[User], limit: int) -> dict[int, list[Escalation]]:
    """Twin of `open_escalations_for`: an escalation goes to each of its recipients."""
    links = Escalation.recipients.through.objects.filter(
        user__in=[u.pk for u in users], escalation__state=EscalationState.OPEN
    )
    to: dict[int, list[int]] = defaultdict(list)
    for escalation_id, user_id in links.values_list("escalation_id", "user_id"):
        to[escalation_id].append(user_id)
    rows = (
        Escalation.objects.filter(pk__in=list(to), state=EscalationState.OPEN)
        .select_related("action__meeting", "raised_by")
        .order_by("created_at", "id")
        if to
        else []
    )
    found: dict[int, list[Escalation]] = {u.pk: [] for u in users}
    for escalation in rows:
        for user_id in to[escalation.pk]:
            if len(found[user_id]) < limit:
                found[user_id].append(escalation)
    return found


def _open_items(users: Sequence[User]) -> QuerySet[ActionItem]:
    """Twin of `open_items_of`, for all of them."""
    return (
        ActionItem.objects.filter(
            owner__in=[u.pk for u in users],
            state__in=[ActionState.OPEN, ActionState.IN_PROGRESS],
        )
        .exclude(frozen_q("meeting__"))
        .select_related("meeting")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
