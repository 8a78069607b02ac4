"""Who may change risks, plans and the readiness inspection: the meeting's own rules, plus leaders for approval."""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting, meeting_roles_of
from meetops.people.models import Role, User

INSPECTING_ROLES = frozenset({MeetingRole.ORGANISER, MeetingRole.HOST, MeetingRole.STAFF})


def can_edit_risks(user: User, meeting: Meeting) -> bool:
    """The register, the plan's text and risk events: those who manage the meeting, until it is closed."""
    return not meeting.is_frozen and can_manage_meeting(user, meeting)


def can_approve_plan(user: User, meeting: Meeting) -> bool:
    """Leaders (and admins) who may see the meeting approve or return its emergency plan."""
    return (
        not meeting.is_frozen
        and user.has_role(Role.LEADER, Role.ADMIN)
        and can_view_meeting(user, meeting)
    )


def can_inspect(user: User, meeting: Meeting) -> bool:
    """Check readiness items: managers, the host and staff of the meeting."""
    if meeting.is_frozen:
        return False
    return can_manage_meeting(user, meeting) or bool(
        meeting_roles_of(user, meeting) & INSPECTING_ROLES
    )


def can_coordinate(user: User, meeting: Meeting, owner_id: int | None) -> bool:
    """Write to a risk's coordination thread: its managers, its owner, anyone on the meeting."""
    if meeting.is_frozen:
        return False
    return (
        can_manage_meeting(user, meeting)
        or user.pk == owner_id
        or bool(meeting_roles_of(user, meeting))
    )
