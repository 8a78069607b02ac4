"""Reads that matter: every list is already limited to what the user may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings.models import Confidentiality, Meeting, Participant
from meetops.meetings.permissions import can_manage_meeting, can_view_meeting
from meetops.people.models import Role, User
from meetops.people.selectors import department_ids_of


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """The queryset twin of `can_view_meeting`: keep the two in step."""
    base = Meeting.objects.select_related("kind", "department")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.is_admin:
        return base
    on_meeting = Exists(Participant.objects.filter(meeting=OuterRef("pk"), user=user))
    visible = Q(on_meeting) | Q(created_by=user) | Q(
        confidentiality__in=[Confidentiality.PUBLIC, Confidentiality.INTERNAL]
    )
    if user.has_role(Role.LEADER, Role.ARCHIVIST):
        visible |= Q(confidentiality=Confidentiality.RESTRICTED)
    else:
        departments = department_ids_of(user)
        if departments:
            visible |= Q(confidentiality=Confidentiality.RESTRICTED, department_id__in=departments)
    return base.filter(visible)


def get_meeting_for_user(user: User, pk: int, *, write: bool = False) -> Meeting:
    """Load a meeting for this user: 404 if they may not see it, 403 if they may not change it."""
    if not 0 < pk <= MAX_DB_ID:  # beyond a 64-bit key PostgreSQL raises rather than finds nothing
        raise NotFound()
    meeting = Meeting.objects.select_related("kind", "department", "process_version").filter(pk=pk).first()
    if meeting is None or not can_view_meeting(user, meeting):
        raise NotFound()
    if write and not can_manage_meeting(user, meeting):
        raise PermissionDenied()
    return meeting


def meetings_in_range(user: User, start: datetime, end: datetime) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(start__lt=end, end__gt=start).order_by("start")


def meetings_of(user: User) -> QuerySet[Meeting]:
    """Meetings the user is on or created."""
    return meetings_visible_to(user).filter(
        Q(Exists(Participant.objects.filter(meeting=OuterRef("pk"), user=user))) | Q(created_by=user)
    )
