"""Completion rules the summary report can judge.

P4.2 uses `reports.report_written`: the report has been submitted to the leaders.
P4.4 uses `reports.instructions_recorded`: every chosen leader approved it, each
with instructions or with "no instructions" recorded.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting
from meetops.reports.models import ReportState, SummaryReport


@completion_rule("reports.report_written", _("The summary report is submitted to the leaders"))
def report_written(meeting: Meeting) -> bool:
    return SummaryReport.objects.filter(
        meeting=meeting, state__in=[ReportState.SUBMITTED, ReportState.APPROVED]
    ).exists()


@completion_rule(
    "reports.instructions_recorded",
    _("The leaders approved the summary report and their instructions are recorded"),
)
def instructions_recorded(meeting: Meeting) -> bool:
    return SummaryReport.objects.filter(meeting=meeting, state=ReportState.APPROVED).exists()
