"""The minutes review in the one decision shape (core.decisions, ADR 0010).

The host approves or returns what the writer submitted; never the person who submitted them
(`own_submission`, new with the shape: a host who wrote and submitted the minutes used to
approve them alone). Minutes a host submitted go to those who manage the meeting.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from meetops.core.decisions import DecisionFlow
from meetops.meetings.models import Meeting, MeetingRole, Participant, holding
from meetops.meetings.selectors import managed_by, undecided_meeting_ids
from meetops.minutes import errors
from meetops.minutes.models import Minutes, MinutesState
from meetops.minutes.permissions import can_decide_minutes
from meetops.people.models import User

MAX_COMMENT = 50000


def minutes_waiting(user: User) -> QuerySet[Minutes]:
    """Submitted minutes this user reviews: the query twin of `can_decide_minutes` (admins aside)."""
    hosts = Participant.objects.filter(holding(MeetingRole.HOST), meeting=OuterRef("meeting_id"))
    i_host = Exists(hosts.filter(user=user))
    no_host = ~Exists(hosts.filter(user__isnull=False))
    host_submitted = Exists(hosts.filter(user=OuterRef("submitted_by")))
    managed = Meeting.objects.filter(managed_by(user)).values("pk")
    return (
        Minutes.objects.filter(state=MinutesState.SUBMITTED)
        .filter(meeting__in=undecided_meeting_ids(user))
        .filter(Q(i_host) | ((no_host | host_submitted) & Q(meeting__in=managed)))
        .exclude(submitted_by=user)
        .select_related("meeting", "submitted_by")
    )


REVIEW = DecisionFlow[Minutes](
    name="minutes.review",
    state_field="state",
    awaiting=MinutesState.SUBMITTED,
    wrong_state=lambda minutes, approve: errors.wrong_state(minutes.state, MinutesState.SUBMITTED),
    submitter=lambda minutes: minutes.submitted_by_id,
    approved_action="minutes.minutes.approved",
    returned_action="minutes.minutes.returned",
    may_decide=can_decide_minutes,
    pending=minutes_waiting,
    # approved_by / approved_at are stamped on approval only: a return leaves its comment.
    decided_by="",
    decided_at="",
    comment_limit=MAX_COMMENT,
)
