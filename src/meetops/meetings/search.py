"""Meetings in the full-text index (`core.textsearch`): title, place, goals, description."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from meetops.core import textsearch
from meetops.meetings.models import Meeting

KIND = "meetings.meeting"


def _parts(meeting: Meeting) -> list[str]:
    return [meeting.title, meeting.location, meeting.goals, meeting.description]


def index_meeting(meeting: Meeting) -> None:
    """Called by the services that write the meeting's text, in their transaction."""
    textsearch.index(KIND, meeting.pk, _parts(meeting))


def rebuild() -> int:
    count = 0
    for meeting in Meeting.objects.order_by("pk").iterator(chunk_size=500):
        index_meeting(meeting)
        count += 1
    return count


def snippet_fields(meeting: Meeting) -> Sequence[tuple[str, str | None]]:
    return [
        (_("Title"), meeting.title),
        (_("Location"), meeting.location),
        (_("Goals"), meeting.goals),
        (_("Description"), meeting.description),
    ]
