"""What filing a meeting takes from minutes for the archive (P4.1): the minutes, once approved."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from meetops.core.archive import Found
from meetops.meetings.models import Meeting
from meetops.minutes.attendance import attendance_of
from meetops.minutes.exports import minutes_pdf
from meetops.minutes.models import MinutesState
from meetops.minutes.selectors import actions_of, document_of, minutes_of
from meetops.people.models import User


def minutes(meeting: Meeting, actor: User) -> Iterator[Found]:
    found = minutes_of(meeting)
    if found is not None and found.state in (MinutesState.APPROVED, MinutesState.PUBLISHED):
        yield Found(
            "minutes.pdf",
            "minutes",
            _("Meeting minutes"),
            "pdf",
            lambda: minutes_pdf(
                document_of(meeting), attendance_of(meeting), list(actions_of(meeting))
            ),
        )
