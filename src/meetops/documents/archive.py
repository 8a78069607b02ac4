"""What filing a meeting takes for the archive (P4.1): the minutes, once approved, as the 纪要."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from meetops.core.archive import Found
from meetops.documents import render
from meetops.meetings.models import Meeting
from meetops.minutes.models import MinutesState
from meetops.minutes.selectors import document_of, minutes_of
from meetops.people.models import User


def minutes(meeting: Meeting, actor: User) -> Iterator[Found]:
    found = minutes_of(meeting)
    if found is not None and found.state in (MinutesState.APPROVED, MinutesState.PUBLISHED):
        yield Found(
            "minutes.pdf",
            "minutes",
            _("Meeting minutes"),
            "pdf",
            lambda: render.minutes_file(document_of(meeting), fmt=render.PDF, actor=actor).content,
        )
