"""Template tags for pages of other apps that show the agenda (the meeting detail page)."""

from __future__ import annotations

from django import template

from meetops.agenda.schedule import Agenda
from meetops.agenda.selectors import agenda_of
from meetops.meetings.models import Meeting

register = template.Library()


@register.simple_tag
def meeting_agenda(meeting: Meeting) -> Agenda:
    """`{% meeting_agenda meeting as agenda %}`: the agenda with times and warnings (one query)."""
    return agenda_of(meeting)
