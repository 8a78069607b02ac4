"""The agenda's times, computed: pinned items keep their start, the others flow.

Nothing here touches the database: give it the meeting and its items in order
and it says when each item runs and what a planner should be warned about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meetops.agenda.models import AgendaItem
from meetops.meetings.models import Meeting


@dataclass(frozen=True)
class Slot:
    """An item with the times it runs at."""

    item: AgendaItem
    start: datetime
    end: datetime
    fixed: bool


@dataclass(frozen=True)
class AgendaWarning:
    """Something a planner should see; never a refusal. `code` is stable, `message` translated."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


def flowing_start(meeting_start: datetime, previous_end: datetime | None) -> datetime:
    """Where an item without a pinned start begins."""
    return previous_end if previous_end is not None else meeting_start


def schedule(meeting: Meeting, items: Iterable[AgendaItem]) -> list[Slot]:
    """Each item's start and end, in agenda order."""
    slots: list[Slot] = []
    previous_end: datetime | None = None
    for item in items:
        start = item.start or flowing_start(meeting.start, previous_end)
        end = start + timedelta(minutes=item.duration_minutes)
        slots.append(Slot(item=item, start=start, end=end, fixed=item.start is not None))
        previous_end = end
    return slots


def _clock(value: datetime) -> str:
    return formats.time_format(timezone.localtime(value), "H:i")


def _same_room(a: Slot, b: Slot) -> bool:
    """Items in different named rooms may run side by side (parallel sessions)."""
    return not (a.item.room_label and b.item.room_label) or a.item.room_label == b.item.room_label


def warnings_for(meeting: Meeting, slots: Sequence[Slot]) -> list[AgendaWarning]:
    """Overrun of the meeting's end, items that overlap the one before, items before the start."""
    found: list[AgendaWarning] = []
    previous: Slot | None = None
    for slot in slots:
        if slot.start < meeting.start:
            found.append(
                AgendaWarning(
                    "agenda_starts_early",
                    _("“%(title)s” starts at %(time)s, before the meeting does.")
                    % {"title": slot.item.title, "time": _clock(slot.start)},
                    {"item_id": slot.item.pk},
                )
            )
        if previous is not None and slot.start < previous.end and _same_room(slot, previous):
            found.append(
                AgendaWarning(
                    "agenda_overlap",
                    _("“%(title)s” starts before “%(previous)s” ends.")
                    % {"title": slot.item.title, "previous": previous.item.title},
                    {"item_id": slot.item.pk, "previous_item_id": previous.item.pk},
                )
            )
        previous = slot
    agenda_end = max((s.end for s in slots), default=None)
    if agenda_end is not None and agenda_end > meeting.end:
        minutes = int((agenda_end - meeting.end).total_seconds() // 60) or 1
        found.append(
            AgendaWarning(
                "agenda_overruns",
                _("The agenda runs %(minutes)d minutes past the meeting's end (%(end)s).")
                % {"minutes": minutes, "end": _clock(meeting.end)},
                {
                    "minutes_over": minutes,
                    "agenda_end": agenda_end.isoformat(),
                    "meeting_end": meeting.end.isoformat(),
                    "item_ids": [s.item.pk for s in slots if s.end > meeting.end],
                },
            )
        )
    return found


@dataclass(frozen=True)
class Agenda:
    """A meeting's agenda as a reader sees it: items with times, and the warnings."""

    meeting: Meeting
    slots: list[Slot]
    warnings: list[AgendaWarning]

    @property
    def items(self) -> list[AgendaItem]:
        return [s.item for s in self.slots]

    @property
    def end(self) -> datetime | None:
        return max((s.end for s in self.slots), default=None)

    def has_warning(self, code: str) -> bool:
        return any(w.code == code for w in self.warnings)


def build_agenda(meeting: Meeting, items: Iterable[AgendaItem]) -> Agenda:
    slots = schedule(meeting, items)
    return Agenda(meeting=meeting, slots=slots, warnings=warnings_for(meeting, slots))
