"""The meeting's agenda as lines for mails and the mobile pages.

The agenda app is optional for invitations: without it there is no agenda.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

from meetops.agenda.selectors import agenda_of, public_agenda_of
from meetops.meetings.models import Meeting


def agenda_items(meeting: Meeting, *, public_only: bool = False) -> list[str]:
    """Agenda lines ("09:00–09:30 title — presenter") in order; public items only for the public page."""
    if not apps.is_installed("meetops.agenda"):
        return []

    agenda = public_agenda_of(meeting) if public_only else agenda_of(meeting)
    lines = []
    for slot in agenda.slots:
        start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
        line = f"{start:%H:%M}–{end:%H:%M} {slot.item.title}"
        presenter = slot.item.presenter
        lines.append(f"{line} — {presenter}" if presenter else line)
    return lines
