"""Who may run the feedback survey and the evaluation, and who may read their results.

- manage (build and open the survey, sort comments, set targets, write and finish the
  evaluation, send results): those who manage the meeting (organiser, creator, admin),
  until the meeting is closed or cancelled;
- read results: managers, and leaders (and admins) who may see the meeting;
- answer: whoever holds a personal link; no account needed.
"""

from __future__ import annotations

from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting
from meetops.people.models import Role, User


def can_manage_feedback(user: User, meeting: Meeting) -> bool:
    return user.is_authenticated and not meeting.is_frozen and can_manage_meeting(user, meeting)


def can_read_results(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    if can_manage_meeting(user, meeting):
        return True
    return user.has_role(Role.LEADER, Role.ADMIN) and can_view_meeting(user, meeting)
