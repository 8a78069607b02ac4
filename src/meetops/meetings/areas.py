"""The areas of a meeting's life that its page groups the other apps' links into.

A person opening the meeting sees first what its stage needs: the links of the area the
stage belongs to are open, the others one tap away. Apps say which area a link belongs to
(`MeetingLink.group`); the page names no app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from meetops.core.menu import visible_meeting_links
from meetops.meetings.models import Meeting, Stage
from meetops.people.models import User

AREAS: tuple[tuple[str, str | Promise], ...] = (
    ("prepare", pgettext_lazy("meeting area", "Preparation")),
    ("during", pgettext_lazy("meeting area", "During the meeting")),
    ("after", pgettext_lazy("meeting area", "After the meeting")),
    ("archive", pgettext_lazy("meeting area", "Records")),
)
# Links with no (or an unknown) group: an app that has not said where its link belongs.
MORE = ("more", pgettext_lazy("meeting area", "More"))

AREA_OF_STAGE: dict[str, str] = {
    Stage.DRAFT: "prepare",
    Stage.PREPARING: "prepare",
    Stage.READY: "prepare",
    Stage.IN_PROGRESS: "during",
    Stage.CONCLUDED: "after",
    Stage.FOLLOWING_UP: "after",
    Stage.CLOSED: "archive",
    Stage.CANCELLED: "archive",
}


@dataclass
class Area:
    key: str
    label: str | Promise
    current: bool
    templates: list[str] = field(default_factory=list)


def meeting_areas(user: User, meeting: Meeting, can_manage: bool) -> list[Area]:
    """The areas with the links this user sees in each, the stage's own area marked current.

    The archive area is always listed: the meeting page adds its full history there."""
    current = AREA_OF_STAGE.get(meeting.stage, "prepare")
    # "More" before the archive, which closes the list with the meeting's full history.
    areas = {key: Area(key, label, key == current) for key, label in (*AREAS[:-1], MORE, AREAS[-1])}
    for link in visible_meeting_links("actions", user, meeting, can_manage):
        areas.get(link.group, areas["more"]).templates.append(link.template)
    return [a for a in areas.values() if a.templates or a.key == "archive"]
