"""What minutes add to "Waiting for me" (core.inbox): minutes submitted for review where the user
is the host (or, on a meeting without a host, its organiser or creator). One query."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, submitted_items
from meetops.meetings.models import Meeting, MeetingRole, Participant
from meetops.meetings.selectors import managed_by, undecided_meeting_ids
from meetops.minutes.models import Minutes, MinutesState
from meetops.people.models import User


def minutes_waiting(user: User, limit: int) -> list[WaitingItem]:
    hosts = Participant.objects.filter(meeting=OuterRef("meeting_id"), role=MeetingRole.HOST)
    i_host = Exists(hosts.filter(user=user))
    no_host = ~Exists(hosts.filter(user__isnull=False))
    managed = Meeting.objects.filter(managed_by(user)).values("pk")
    rows = (
        Minutes.objects.filter(state=MinutesState.SUBMITTED)
        .filter(meeting__in=undecided_meeting_ids(user))
        .filter(Q(i_host) | (no_host & Q(meeting__in=managed)))
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")[:limit]
    )
    return submitted_items(rows, "minutes", _("Minutes to review"), "minutes")
