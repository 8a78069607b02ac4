"""Who may read and change a meeting's budget, expenses and supplies.

- read: those who manage the meeting, anyone on it, and leaders, archivists and admins who
  can see the meeting (the statement is meant to be transparent to them);
- edit the budget and submit it or its settlement: those who manage the meeting;
- record expenses: those who manage the meeting and its staff;
- approve or return: leaders (global role) and admins, never the person who submitted.
"""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole
from meetops.meetings.permissions import (
    can_manage_meeting,
    can_view_meeting,
    is_on_meeting,
    meeting_roles_of,
)
from meetops.people.models import Role, User

EXPENSE_ROLES = frozenset({MeetingRole.ORGANISER, MeetingRole.STAFF})


def can_view_budget(user: User, meeting: Meeting) -> bool:
    if not can_view_meeting(user, meeting):
        return False
    return (
        user.is_admin
        or user.has_role(Role.LEADER, Role.ARCHIVIST)
        or is_on_meeting(user, meeting)
        or can_manage_meeting(user, meeting)
    )


def can_edit_budget(user: User, meeting: Meeting) -> bool:
    return not meeting.is_frozen and can_manage_meeting(user, meeting)


def can_record_expense(user: User, meeting: Meeting) -> bool:
    if meeting.is_frozen:
        return False
    return can_manage_meeting(user, meeting) or bool(
        meeting_roles_of(user, meeting) & EXPENSE_ROLES
    )


def can_approve_budget(user: User, meeting: Meeting) -> bool:
    """Leaders and admins who can see the meeting (the submitter is refused in the service)."""
    return (user.is_admin or user.has_role(Role.LEADER)) and can_view_meeting(user, meeting)


def can_edit_supplies(user: User, meeting: Meeting) -> bool:
    """Managers and staff keep the checklist (staff prepare and recover the things)."""
    return can_record_expense(user, meeting)
