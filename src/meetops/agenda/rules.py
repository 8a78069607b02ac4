"""Completion rules the agenda can judge."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.agenda.selectors import agenda_of
from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting


@completion_rule("agenda.has_agenda", _("An agenda is drawn up and fits in the meeting's time"))
def has_agenda(meeting: Meeting) -> bool:
    """At least one item, and the agenda neither overruns the end nor starts before the meeting.

    Overlapping items are only a warning: parallel sessions in several rooms overlap on purpose.
    """
    agenda = agenda_of(meeting)
    blocking = ("agenda_overruns", "agenda_starts_early")
    return bool(agenda.slots) and not any(agenda.has_warning(code) for code in blocking)
