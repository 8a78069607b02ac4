"""Conflicts of people: someone this meeting needs is already on another meeting at that time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from meetops.agenda.models import AgendaItem
from meetops.meetings.models import Attendance, Meeting, MeetingRole, Participant, Stage
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import User

PRESENTER = "presenter"
# Most telling role first: a person who is host and participant is reported as host.
ROLE_RANK = [MeetingRole.HOST, MeetingRole.SPEAKER, PRESENTER, MeetingRole.PARTICIPANT]


@dataclass(frozen=True)
class PersonConflict:
    user_id: int
    name: str
    role: str
    other_meeting_id: int | None  # None when the viewer may not see the other meeting
    other_title: str
    start: datetime
    end: datetime

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def role_label(self) -> str:
        return _("Presenter") if self.role == PRESENTER else str(MeetingRole(self.role).label)


def _needed_people(meeting: Meeting) -> dict[int, tuple[User, str]]:
    """Users the meeting cannot do without: hosts, speakers, presenters, required participants."""
    needed: dict[int, tuple[User, str]] = {}

    def note(user: User, role: str) -> None:
        held = needed.get(user.pk)
        if held is None or ROLE_RANK.index(role) < ROLE_RANK.index(held[1]):
            needed[user.pk] = (user, role)

    for p in Participant.objects.filter(meeting=meeting, user__isnull=False).select_related("user"):
        required = p.role == MeetingRole.PARTICIPANT and p.attendance == Attendance.REQUIRED
        if p.user is not None and (required or p.role in (MeetingRole.HOST, MeetingRole.SPEAKER)):
            note(p.user, p.role)
    for item in AgendaItem.objects.filter(
        meeting=meeting, presenter_user__isnull=False
    ).select_related("presenter_user"):
        if item.presenter_user is not None:
            note(item.presenter_user, PRESENTER)
    return needed


def person_conflicts(meeting: Meeting, *, viewer: User) -> list[PersonConflict]:
    """Each needed person's other (not cancelled) meetings overlapping this one, in four queries.

    The other meeting's title and id are shown only to a viewer who may see it.
    """
    needed = _needed_people(meeting)
    if not needed:
        return []
    clashes = (
        Participant.objects.filter(
            user_id__in=needed,
            meeting__start__lt=meeting.end,
            meeting__end__gt=meeting.start,
        )
        .exclude(meeting_id=meeting.pk)
        .exclude(meeting__stage=Stage.CANCELLED)
        .select_related("meeting")
        .order_by("meeting__start", "meeting_id")
    )
    found: dict[tuple[int, int], Participant] = {}
    for p in clashes:
        if p.user_id is not None:  # always: user_id__in above
            found.setdefault((p.user_id, p.meeting_id), p)
    if not found:
        return []
    visible = set(
        meetings_visible_to(viewer)
        .filter(pk__in={m for _u, m in found})
        .values_list("pk", flat=True)
    )
    conflicts = []
    for (user_id, other_id), p in found.items():
        user, role = needed[user_id]
        shown = other_id in visible
        conflicts.append(
            PersonConflict(
                user_id=user_id,
                name=str(user),
                role=str(role),
                other_meeting_id=other_id if shown else None,
                other_title=p.meeting.title if shown else _("another meeting"),
                start=p.meeting.start,
                end=p.meeting.end,
            )
        )
    return sorted(conflicts, key=lambda c: (c.start, c.name))
