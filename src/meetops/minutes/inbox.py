"""What minutes add to "Waiting for me" (core.inbox): the submitted minutes `REVIEW` says the
user decides (core.decisions): the host's, or the organisers' when there is no host or the host
submitted them. One query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, per_person, submitted_items
from meetops.meetings.models import MeetingRole, Participant, frozen_q, holding
from meetops.meetings.permissions import MANAGING_ROLES
from meetops.meetings.selectors import prime_meeting_access, undecided_for
from meetops.minutes.decisions import REVIEW
from meetops.minutes.models import Minutes, MinutesState
from meetops.people.models import User


def minutes_waiting(user: User, limit: int) -> list[WaitingItem]:
    rows = REVIEW.pending_for(user).order_by("submitted_at", "id")[:limit]
    return submitted_items(rows, "minutes", _("Minutes to review"), "minutes")


def minutes_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    """`minutes_waiting` of each person: the twin of `minutes.decisions.minutes_waiting` (the
    host; the meeting's managers when it has no host or the host submitted them)."""
    rows = list(
        Minutes.objects.filter(state=MinutesState.SUBMITTED)
        .exclude(frozen_q("meeting__"))
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")
    )
    prime_meeting_access(users, [m.meeting for m in rows])
    hosts: dict[int, set[int]] = defaultdict(set)
    organisers: dict[int, set[int]] = defaultdict(set)
    people = Participant.objects.filter(meeting__in={m.meeting_id for m in rows}).filter(
        Q(holding(MeetingRole.HOST), user__isnull=False)
        | Q(role__in=MANAGING_ROLES, user__in=[u.pk for u in users])
    )
    for meeting_id, user_id, role, extra in people.values_list(
        "meeting_id", "user_id", "role", "extra_roles"
    ):
        if role == MeetingRole.HOST or MeetingRole.HOST in (extra or []):
            hosts[meeting_id].add(user_id)
        if role in MANAGING_ROLES:
            organisers[meeting_id].add(user_id)

    def waits(user: User, minutes: Minutes) -> bool:
        meeting, host = minutes.meeting, hosts[minutes.meeting_id]
        managed = meeting.created_by_id == user.pk or user.pk in organisers[meeting.pk]
        decides = user.pk in host or ((not host or minutes.submitted_by_id in host) and managed)
        return decides and minutes.submitted_by_id != user.pk and undecided_for(user, meeting)

    label = _("Minutes to review")
    return {
        pk: submitted_items(picked, "minutes", label, "minutes")
        for pk, picked in per_person(users, rows, waits, limit).items()
    }
