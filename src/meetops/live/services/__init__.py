"""Writes of the room, split by sub-domain; import from here."""

from meetops.live.services.console import (
    end_item,
    end_meeting,
    next_item,
    pause,
    resume,
    set_warning,
    start_item,
)
from meetops.live.services.materials import (
    announce_due_releases,
    record_opening,
    release_materials,
)
from meetops.live.services.questions import ask_question, mark_answered, vote_question
from meetops.live.services.support import acknowledge_ticket, report_problem, resolve_ticket

__all__ = [
    "acknowledge_ticket",
    "announce_due_releases",
    "ask_question",
    "end_item",
    "end_meeting",
    "mark_answered",
    "next_item",
    "pause",
    "record_opening",
    "release_materials",
    "report_problem",
    "resolve_ticket",
    "resume",
    "set_warning",
    "start_item",
    "vote_question",
]
