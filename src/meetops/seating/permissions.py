"""Who may see and arrange the seating. Pure predicates."""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting, meeting_roles_of
from meetops.people.models import User

ARRANGING_ROLES = frozenset({MeetingRole.ORGANISER, MeetingRole.STAFF})


def can_view_seating(user: User, meeting: Meeting) -> bool:
    """The seat chart: whoever may see the meeting (hosts and the desk guide people by it)."""
    return can_view_meeting(user, meeting)


def can_arrange_seating(user: User, meeting: Meeting) -> bool:
    """Plans and seats: those who manage the meeting and its staff (会务), until it is closed."""
    if meeting.is_frozen or not can_view_meeting(user, meeting):
        return False
    return can_manage_meeting(user, meeting) or bool(
        meeting_roles_of(user, meeting) & ARRANGING_ROLES
    )
