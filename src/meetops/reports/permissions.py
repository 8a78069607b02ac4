"""Who may draft, read and decide on a meeting's summary report.

- write (draft, edit, submit, turn instructions into action items): those who manage
  the meeting (organiser, creator, admin), until it is closed or cancelled;
- decide (approve or return with instructions): the leaders the report was submitted to;
- read: writers, and the leaders it was submitted to. Others who may see the meeting get 403.
"""

from __future__ import annotations

from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting
from meetops.people.models import Role, User
from meetops.reports.models import ReportApproval


def can_write_report(user: User, meeting: Meeting) -> bool:
    return user.is_authenticated and not meeting.is_frozen and can_manage_meeting(user, meeting)


def may_be_chosen(user: User, meeting: Meeting) -> bool:
    """A report goes to active users with the global leader role who may see the meeting."""
    return user.is_active and user.has_role(Role.LEADER) and can_view_meeting(user, meeting)


def is_chosen_leader(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    cache = meeting.__dict__.setdefault("_report_leader", {})
    if user.pk not in cache:
        cache[user.pk] = ReportApproval.objects.filter(
            report__meeting=meeting, leader=user
        ).exists()
    return bool(cache[user.pk])


def can_read_report(user: User, meeting: Meeting) -> bool:
    return can_manage_meeting(user, meeting) or is_chosen_leader(user, meeting)
