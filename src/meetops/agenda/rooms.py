"""Rooms an agenda item may name: other apps say which rooms a meeting has, without this app
knowing them (venues: the rooms of the meeting's confirmed bookings).

    from meetops.agenda.rooms import register_room_source

    @register_room_source
    def booked_rooms(meeting) -> list[str]:
        return ["报告厅", "第一会议室"]

A source runs one query at most; the agenda stores the chosen label as free text (`room_label`),
so the API's shape does not change and the item outlives the booking.
"""

from __future__ import annotations

from collections.abc import Callable

from meetops.meetings.models import Meeting

RoomSource = Callable[[Meeting], list[str]]
_sources: list[RoomSource] = []


def register_room_source(source: RoomSource) -> RoomSource:
    if source not in _sources:
        _sources.append(source)
    return source


def room_labels(meeting: Meeting) -> list[str]:
    """The labels every source offers for this meeting, first seen first, without repeats."""
    labels: dict[str, None] = {}
    for source in _sources:
        for label in source(meeting):
            labels.setdefault(label, None)
    return list(labels)
