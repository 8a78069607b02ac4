"""Who may read and change an agenda: the meeting's own rules, nothing more."""

from __future__ import annotations

from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting
from meetops.people.models import User


def can_view_agenda(user: User, meeting: Meeting) -> bool:
    return can_view_meeting(user, meeting)


def can_edit_agenda(user: User, meeting: Meeting) -> bool:
    """Those who manage the meeting, while it is neither closed nor cancelled."""
    return not meeting.is_frozen and can_manage_meeting(user, meeting)
