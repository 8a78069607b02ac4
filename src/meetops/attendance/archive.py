"""What filing a meeting takes from attendance for the archive (P4.1): the attendance sheet."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from meetops.attendance.exports import sheet_pdf
from meetops.core.archive import Found
from meetops.meetings.models import Meeting
from meetops.people.models import User


def attendance(meeting: Meeting, actor: User) -> Iterator[Found]:
    if meeting.participants.exists():
        yield Found(
            "attendance.sheet", "signin", _("Attendance sheet"), "pdf", lambda: sheet_pdf(meeting)
        )
