"""Who may announce a meeting and read its reach: whoever may edit the meeting."""

from __future__ import annotations

from meetops.meetings.models import Confidentiality, Meeting
from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import User


def can_announce(user: User, meeting: Meeting) -> bool:
    """Publish announcements: the meeting's managers, until it is closed or cancelled;
    never for a confidential meeting, whose existence is not told beyond its people."""
    return (
        not meeting.is_frozen
        and meeting.confidentiality != Confidentiality.CONFIDENTIAL
        and can_manage_meeting(user, meeting)
    )


def can_read_reach(user: User, meeting: Meeting) -> bool:
    """The announcements' list, reach and poster: the meeting's managers, also afterwards."""
    return can_manage_meeting(user, meeting)
