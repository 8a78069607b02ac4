"""Who may run the sign-in desk. Pure predicates."""

from __future__ import annotations

from meetops.meetings.models import Meeting
from meetops.meetings.permissions import (
    Capability,
    can_manage_meeting,
    can_register_walk_ins,
    can_view_meeting,
    has_capability,
)
from meetops.people.models import User


def can_run_desk(user: User, meeting: Meeting) -> bool:
    """Open the desk, sign people in, undo sign-ins, see phone numbers: organisers, hosts, the
    meeting's staff, whoever has the desk as a duty (协助签到台), admins."""
    if not can_view_meeting(user, meeting):
        return False
    return has_capability(user, meeting, Capability.RUN_DESK)


def can_change_desk_settings(user: User, meeting: Meeting) -> bool:
    """Self sign-in, grace and opening time: those who manage the meeting."""
    return can_manage_meeting(user, meeting)


def can_admit_walk_ins(user: User, meeting: Meeting) -> bool:
    """Register someone not on the list at the door: managers, the meeting's staff and whoever
    has the desk as a duty (`meetings.services.add_walk_in` asks the same)."""
    return can_register_walk_ins(user, meeting)
