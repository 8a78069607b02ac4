"""Who may run the sign-in desk. Pure predicates."""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting, meeting_roles_of
from meetops.people.models import User

DESK_ROLES = frozenset({MeetingRole.ORGANISER, MeetingRole.HOST, MeetingRole.STAFF})


def can_run_desk(user: User, meeting: Meeting) -> bool:
    """Sign people in, undo sign-ins, see phone numbers: organisers, hosts, the meeting's staff, admins."""
    if not can_view_meeting(user, meeting):
        return False
    return can_manage_meeting(user, meeting) or bool(meeting_roles_of(user, meeting) & DESK_ROLES)


def can_change_desk_settings(user: User, meeting: Meeting) -> bool:
    """Self sign-in, grace and opening time: those who manage the meeting."""
    return can_manage_meeting(user, meeting)


def can_admit_walk_ins(user: User, meeting: Meeting) -> bool:
    """Walk-ins are put on the meeting by `meetings.services.add_participant`, which needs a manager."""
    return can_manage_meeting(user, meeting)
