"""Who may see and change a meeting. Pure predicates, used by UI, API and CLI alike.

Visibility by confidentiality:
- public, internal: every signed-in user;
- restricted: people on the meeting, its creator, members of the organising
  department (and of departments above it), leaders, archivists and admins;
- confidential: people on the meeting, its creator and admins only.
"""

from __future__ import annotations

from meetops.meetings.models import Confidentiality, Meeting, MeetingRole
from meetops.people.models import Role, User

MANAGING_ROLES = frozenset({MeetingRole.ORGANISER})
RUNNING_ROLES = frozenset({MeetingRole.ORGANISER, MeetingRole.HOST})


def meeting_roles_of(user: User, meeting: Meeting) -> frozenset[str]:
    """The roles the user holds on this meeting (cached on the meeting for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[str]] = meeting.__dict__.setdefault("_roles_cache", {})
    if user.pk not in cache:
        held: set[str] = set()
        for role, extra in meeting.participants.filter(user=user).values_list(
            "role", "extra_roles"
        ):
            held.update([role, *extra])
        cache[user.pk] = frozenset(held)
    return cache[user.pk]


def is_on_meeting(user: User, meeting: Meeting) -> bool:
    return meeting.created_by_id == user.pk or bool(meeting_roles_of(user, meeting))


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin or is_on_meeting(user, meeting):
        return True
    if meeting.confidentiality in (Confidentiality.PUBLIC, Confidentiality.INTERNAL):
        return True
    if meeting.confidentiality == Confidentiality.RESTRICTED:
        if user.has_role(Role.LEADER, Role.ARCHIVIST):
            return True
        return bool(
            meeting.department_id
            and user.department_id
            and user.department
            and f"/{meeting.department_id}/" in user.department.path
        )
    return False


def can_create_meeting(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.ORGANISER, Role.LEADER)


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """Edit the meeting, its people and move it between stages."""
    if user.is_admin:
        return True
    return meeting.created_by_id == user.pk or bool(
        meeting_roles_of(user, meeting) & MANAGING_ROLES
    )


def can_override_steps(user: User, meeting: Meeting) -> bool:
    """Advance past open required steps, with a reason. Organisers by global role only."""
    if user.is_admin:
        return True
    return user.has_role(Role.ORGANISER) and can_manage_meeting(user, meeting)


def can_complete_step(user: User, meeting: Meeting, owner_role: str) -> bool:
    if meeting.is_frozen:
        return False
    return can_manage_meeting(user, meeting) or owner_role in meeting_roles_of(user, meeting)
