"""Who may do what in the room. Pure predicates; loaders in `selectors` use them.

- the console (start, pause, next, end; answering questions): the host, the
  recorder and the organisers of the meeting, and whoever manages it;
- the timer, "now on stage", materials once released: whoever may see the meeting;
- reporting a problem, asking and voting: people on the meeting and its managers;
- handling tickets: staff of the meeting, the host, its managers, and whoever has security,
  technical support or logistics as a duty (`meetings.permissions.DUTY_CAPABILITIES`);
- releasing materials and seeing who has not opened them: its managers.
"""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole, Stage
from meetops.meetings.permissions import (
    Capability,
    can_manage_meeting,
    can_view_meeting,
    has_capability,
    is_on_meeting,
    meeting_roles_of,
)
from meetops.people.models import User

CONSOLE_ROLES = frozenset({MeetingRole.HOST, MeetingRole.RECORDER, MeetingRole.ORGANISER})


def _open(meeting: Meeting) -> bool:
    return not meeting.is_frozen


def can_run_console(user: User, meeting: Meeting) -> bool:
    if not _open(meeting) or meeting.stage == Stage.DRAFT:
        return False
    return can_manage_meeting(user, meeting) or bool(
        meeting_roles_of(user, meeting) & CONSOLE_ROLES
    )


def can_take_part(user: User, meeting: Meeting) -> bool:
    """Report a problem, ask a question, vote: people on the meeting, while it is not closed."""
    if not _open(meeting) or not can_view_meeting(user, meeting):
        return False
    return is_on_meeting(user, meeting) or can_manage_meeting(user, meeting)


def can_handle_tickets(user: User, meeting: Meeting) -> bool:
    if not _open(meeting):
        return False
    return has_capability(user, meeting, Capability.HANDLE_TICKETS)


def can_release_materials(user: User, meeting: Meeting) -> bool:
    return _open(meeting) and can_manage_meeting(user, meeting)


def can_see_unreleased_materials(user: User, meeting: Meeting) -> bool:
    """Before the release: managers and the people who run the meeting."""
    return can_manage_meeting(user, meeting) or bool(
        meeting_roles_of(user, meeting) & CONSOLE_ROLES
    )
