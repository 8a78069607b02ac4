"""What filing a meeting takes from reports for the archive (P4.1): the approved report, as the 报告."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from meetops.core.archive import Found
from meetops.documents import render
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.reports.models import ReportState
from meetops.reports.selectors import report_of


def report(meeting: Meeting, actor: User) -> Iterator[Found]:
    found = report_of(meeting)
    if found is not None and found.state == ReportState.APPROVED:
        yield Found(
            "reports.pdf",
            "report",
            _("Summary report"),
            "pdf",
            lambda: render.report_file(found, fmt=render.PDF, actor=actor).content,
        )
