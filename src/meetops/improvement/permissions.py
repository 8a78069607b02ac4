"""Who may write lessons, run measures and approve cases. Pure predicates over the meeting's own rules.

Reading always follows the meeting: a lesson, measure or case tied to a meeting is
seen only by those who may see that meeting (`selectors`), whatever its own state.
"""

from __future__ import annotations

from meetops.meetings.models import Confidentiality, Meeting, MeetingRole
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting, meeting_roles_of
from meetops.people.models import Role, User

LESSON_ROLES = frozenset({MeetingRole.ORGANISER, MeetingRole.HOST, MeetingRole.RECORDER})
# Organisation-wide lessons, measures without a meeting, external cases.
PLANNING_ROLES = (Role.ADMIN, Role.ORGANISER, Role.LEADER)
APPROVER_ROLES = (Role.ADMIN, Role.LEADER)
# Only these meetings can become published cases: everyone signed in may see them.
SHAREABLE = frozenset({Confidentiality.PUBLIC, Confidentiality.INTERNAL})
# Kinds of meeting that can be an experience-sharing session (P9.5).
SHARING_KINDS = frozenset({"training", "conference"})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_write_lessons(user: User, meeting: Meeting | None) -> bool:
    """A meeting's organisers, hosts and recorders (and its managers); org-wide: planners."""
    if not _active(user):
        return False
    if meeting is None:
        return user.has_role(*PLANNING_ROLES)
    return can_manage_meeting(user, meeting) or bool(meeting_roles_of(user, meeting) & LESSON_ROLES)


def can_edit_lesson(user: User, author_id: int | None, meeting: Meeting | None) -> bool:
    """The author while still allowed to write, or whoever manages the meeting (admins org-wide)."""
    if not _active(user):
        return False
    if author_id == user.pk and can_write_lessons(user, meeting):
        return True
    return can_manage_meeting(user, meeting) if meeting is not None else user.is_admin


def can_plan_measures(user: User, meeting: Meeting | None) -> bool:
    """Create measures: those who manage the meeting; without one, planners."""
    if not _active(user):
        return False
    if meeting is None:
        return user.has_role(*PLANNING_ROLES)
    return can_manage_meeting(user, meeting)


def can_work_on_measure(
    user: User, *, owner_id: int | None, created_by_id: int | None, meeting: Meeting | None
) -> bool:
    """Move a measure along: its owner, its creator, the meeting's managers, admins."""
    if not _active(user):
        return False
    if user.is_admin or user.pk in (owner_id, created_by_id):
        return True
    return meeting is not None and can_manage_meeting(user, meeting)


def can_review_measure(user: User, *, owner_id: int | None, meeting: Meeting | None) -> bool:
    """Judge a done measure's effect (P9.7): organisers, leaders, admins, never its own owner."""
    if not _active(user) or user.pk == owner_id:
        return False
    return user.has_role(*PLANNING_ROLES) and (meeting is None or can_view_meeting(user, meeting))


def can_nominate_case(user: User, meeting: Meeting | None) -> bool:
    """A meeting case: its managers. An external best practice: planners."""
    if not _active(user):
        return False
    if meeting is None:
        return user.has_role(*PLANNING_ROLES)
    return can_manage_meeting(user, meeting)


def can_approve_cases(user: User) -> bool:
    return _active(user) and user.has_role(*APPROVER_ROLES)


def can_see_proposals(user: User) -> bool:
    """The admin's list of process changes proposed for the next version (P9.2/P10.2)."""
    return _active(user) and user.has_role(Role.ADMIN, Role.LEADER)
