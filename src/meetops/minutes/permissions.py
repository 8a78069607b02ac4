"""Who may read, write, review and publish minutes, and who may change action items.

- write (draft): the recorder, the host, whoever has recording as a duty, and those who manage the meeting (organiser, creator, admin);
- review (approve or return, and edit while it is under review): the host; a meeting
  without a host is reviewed by those who manage it; admins always; never the person who
  submitted them (minutes a host submitted are decided by those who manage the meeting);
- publish and reopen an approved text: reviewers and managers;
- read a draft: writers and reviewers; read published minutes: whoever may see the meeting;
- an action item: writers change everything; its owner moves it along (state, note).
"""

from __future__ import annotations

from meetops.meetings.models import Meeting, MeetingRole, holding
from meetops.meetings.permissions import (
    MANAGING_ROLES,
    Capability,
    can_manage_meeting,
    can_view_meeting,
    has_capability,
    meeting_roles_of,
)
from meetops.minutes.models import ActionItem, Minutes, MinutesState
from meetops.people.models import User


def can_write_minutes(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated or meeting.is_frozen:
        return False
    return has_capability(user, meeting, Capability.WRITE_MINUTES)


def has_host(meeting: Meeting) -> bool:
    cache = meeting.__dict__.setdefault("_has_host", {})
    if "v" not in cache:
        cache["v"] = meeting.participants.filter(
            holding(MeetingRole.HOST), user__isnull=False
        ).exists()
    return bool(cache["v"])


def can_review_minutes(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated or meeting.is_frozen:
        return False
    if user.is_admin or MeetingRole.HOST in meeting_roles_of(user, meeting):
        return True
    return not has_host(meeting) and can_manage_meeting(user, meeting)


def reviews_minutes(user: User, minutes: Minutes) -> bool:
    """Whom submitted minutes are put to: the host; those who manage the meeting (its creator
    and organisers) when it has no host or a host submitted them (they wrote them). The one
    rule of who reviews: `can_decide_minutes` authorises it, "Waiting for me" lists it."""
    meeting = minutes.meeting
    if not user.is_authenticated or meeting.is_frozen:
        return False
    if MeetingRole.HOST in meeting_roles_of(user, meeting):
        return True
    manages = meeting.created_by_id == user.pk or bool(
        meeting_roles_of(user, meeting) & MANAGING_ROLES
    )
    if not manages:
        return False
    submitter = minutes.submitted_by
    host_wrote = submitter is not None and MeetingRole.HOST in meeting_roles_of(submitter, meeting)
    return host_wrote or not has_host(meeting)


def can_decide_minutes(user: User, minutes: Minutes) -> bool:
    """Approve or return a submission: its reviewers (`reviews_minutes`), and admins, who may
    decide any but are not asked to; never the person who submitted them (refused by the
    decision shape)."""
    if reviews_minutes(user, minutes):
        return True
    return user.is_authenticated and user.is_admin and not minutes.meeting.is_frozen


def can_publish_minutes(user: User, meeting: Meeting) -> bool:
    return can_review_minutes(user, meeting) or (
        not meeting.is_frozen and can_manage_meeting(user, meeting)
    )


def can_edit_now(user: User, minutes: Minutes) -> bool:
    """Whether the document's text may be changed by this user in its current state."""
    if minutes.state == MinutesState.DRAFT:
        return can_write_minutes(user, minutes.meeting)
    if minutes.state == MinutesState.SUBMITTED:
        return can_review_minutes(user, minutes.meeting)
    return False


def can_read_draft(user: User, meeting: Meeting) -> bool:
    return can_write_minutes(user, meeting) or can_publish_minutes(user, meeting)


def can_read_minutes(user: User, minutes: Minutes | None, meeting: Meeting) -> bool:
    if not can_view_meeting(user, meeting):
        return False
    if minutes is not None and minutes.state == MinutesState.PUBLISHED:
        return True
    return can_read_draft(user, meeting)


def can_manage_actions(user: User, meeting: Meeting) -> bool:
    return can_write_minutes(user, meeting) or can_publish_minutes(user, meeting)


def can_update_action(user: User, action: ActionItem) -> bool:
    return action.owner_id == user.pk or can_manage_actions(user, action.meeting)


def can_view_action(user: User, action: ActionItem) -> bool:
    return action.owner_id == user.pk or can_view_meeting(user, action.meeting)
