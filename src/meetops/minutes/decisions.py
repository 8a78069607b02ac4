"""The minutes review in the one decision shape (core.decisions, ADR 0010).

The host approves or returns what the writer submitted; never the person who submitted them
(`own_submission`, new with the shape: a host who wrote and submitted the minutes used to
approve them alone). Minutes a host submitted go to those who manage the meeting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q

from meetops.core.decisions import DecisionFlow
from meetops.meetings.models import MeetingRole, Participant, frozen_q, holding
from meetops.minutes import errors
from meetops.minutes.models import Minutes, MinutesState
from meetops.minutes.permissions import can_decide_minutes, reviews_minutes
from meetops.people.models import User
from meetops.people.selectors import prime_people

MAX_COMMENT = 50000


def submitted_minutes(users: Sequence[User]) -> list[Minutes]:
    """Submitted minutes of meetings neither closed nor cancelled that one of these people is
    on or created (every reviewer is), with what `reviews_minutes` asks primed: the roles of
    these people and of the submitters on each meeting, and whether it has a host. The flow's
    `candidates`: rows, then the people on those meetings, in two queries."""
    prime_people(users)  # `can_decide_minutes` asks who is an admin
    ids = [u.pk for u in users]
    on_it = Exists(Participant.objects.filter(meeting=OuterRef("meeting_id"), user__in=ids))
    rows = list(
        Minutes.objects.filter(state=MinutesState.SUBMITTED)
        .exclude(frozen_q("meeting__"))
        .filter(Q(on_it) | Q(meeting__created_by__in=ids))
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")
    )
    if not rows:
        return rows
    people = {u.pk: u for u in users}
    people |= {m.submitted_by.pk: m.submitted_by for m in rows if m.submitted_by is not None}
    held: dict[tuple[int, int], set[str]] = defaultdict(set)
    hosted: set[int] = set()
    found = Participant.objects.filter(meeting__in={m.meeting_id for m in rows}).filter(
        Q(user__in=list(people)) | Q(holding(MeetingRole.HOST), user__isnull=False)
    )
    for meeting_id, user_id, role, extra in found.values_list(
        "meeting_id", "user_id", "role", "extra_roles"
    ):
        roles = {role, *(extra or [])}
        if MeetingRole.HOST in roles:
            hosted.add(meeting_id)
        if user_id in people:
            held[meeting_id, user_id].update(roles)
    for minutes in rows:
        meeting = minutes.meeting
        cache = meeting.__dict__.setdefault("_roles_cache", {})
        for pk in people:
            cache.setdefault(pk, frozenset(held[meeting.pk, pk]))
        meeting.__dict__.setdefault("_has_host", {}).setdefault("v", meeting.pk in hosted)
    return rows


REVIEW = DecisionFlow[Minutes](
    name="minutes.review",
    state_field="state",
    awaiting=MinutesState.SUBMITTED,
    wrong_state=lambda minutes, approve: errors.wrong_state(minutes.state, MinutesState.SUBMITTED),
    submitter=lambda minutes: minutes.submitted_by_id,
    approved_action="minutes.minutes.approved",
    returned_action="minutes.minutes.returned",
    may_decide=can_decide_minutes,
    candidates=submitted_minutes,
    # Admins may decide any minutes; they are asked only as one of the reviewers.
    asks=reviews_minutes,
    # approved_by / approved_at are stamped on approval only: a return leaves its comment.
    decided_by="",
    decided_at="",
    comment_limit=MAX_COMMENT,
)
