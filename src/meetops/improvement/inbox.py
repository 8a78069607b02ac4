"""What the case library adds to "Waiting for me" (core.inbox): the submitted cases `CASE` says
the user decides (core.decisions): approvers, never the case's proposer. One query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, per_person
from meetops.improvement.decisions import CASE
from meetops.improvement.models import Case, CaseStatus
from meetops.improvement.permissions import can_approve_cases
from meetops.meetings.permissions import can_view_meeting
from meetops.meetings.selectors import prime_meeting_access
from meetops.people.models import User


def cases_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = CASE.pending_for(user).order_by("updated_at", "id")[:limit]
    return _items(rows)


def cases_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`cases_waiting` of each person: the twin of `improvement.selectors.cases_waiting_for`
    (approvers, not the proposer, and only cases with no meeting or one they may see)."""
    rows = list(
        Case.objects.filter(status=CaseStatus.SUBMITTED)
        .select_related("meeting", "meeting__kind", "proposed_by", "decided_by")
        .order_by("updated_at", "id")
    )
    prime_meeting_access(users, [c.meeting for c in rows if c.meeting is not None])

    def waits(user: User, case: Case) -> bool:
        return (
            can_approve_cases(user)
            and case.proposed_by_id != user.pk
            and (user.is_admin or case.meeting is None or can_view_meeting(user, case.meeting))
        )

    return {pk: _items(picked) for pk, picked in per_person(users, rows, waits, limit).items()}


def _items(rows: Iterable[Case]) -> list[WaitingItem]:
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
