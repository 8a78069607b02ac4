"""Who may change risks, plans and the readiness inspection: the meeting's own rules, plus leaders for approval."""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting, meeting_roles_of
from meetops.people.models import Role, User
from meetops.risks.models import SecurityPost

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


def is_guard(user: User, meeting: Meeting) -> bool:
    """The person holds a post of the meeting's security plan (one query)."""
    return SecurityPost.objects.filter(
        plan__meeting=meeting, guards__user=user, guards__meeting=meeting
    ).exists()


def can_read_security(user: User, meeting: Meeting) -> bool:
    """The security plan, door list included: those who manage the meeting, those who decide
    its plans, its staff and host, and its guards. Other participants are refused."""
    if can_manage_meeting(user, meeting):
        return True
    if user.has_role(Role.LEADER, Role.ADMIN) and can_view_meeting(user, meeting):
        return True
    if meeting_roles_of(user, meeting) & INSPECTING_ROLES:
        return True
    return can_view_meeting(user, meeting) and is_guard(user, meeting)
