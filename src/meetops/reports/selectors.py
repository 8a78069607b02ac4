"""Reads of summary reports; the loader authorises (404 outsiders, 403 others who may see the meeting)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from meetops.core.errors import PermissionDenied
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import Role, User
from meetops.people.selectors import by_name
from meetops.reports.models import Instruction, ReportApproval, ReportRevision, SummaryReport
from meetops.reports.permissions import can_read_report, may_be_chosen


def report_of(meeting: Meeting) -> SummaryReport | None:
    """The meeting's report with its leaders' approvals and instruction lines (three queries)."""
    report = (
        SummaryReport.objects.filter(meeting=meeting)
        .select_related("submitted_by", "updated_by")
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=ReportApproval.objects.select_related("leader").order_by("id"),
            ),
            Prefetch(
                "instructions",
                queryset=Instruction.objects.select_related(
                    "leader", "action", "action__owner", "action__department"
                ).order_by("number"),
            ),
        )
        .first()
    )
    if report is not None:
        report.meeting = meeting
    return report


def load_for_report(user: User, meeting_id: int) -> Meeting:
    """The meeting, if the user may read its report: 404 if they may not see it, else 403."""
    meeting = get_meeting_for_user(user, meeting_id)
    if not can_read_report(user, meeting):
        raise PermissionDenied()
    return meeting


def leaders_for(meeting: Meeting) -> list[User]:
    """Who the report may be submitted to: active leaders who may see the meeting."""
    candidates = User.objects.filter(is_active=True, role_assignments__role=Role.LEADER).distinct()
    return [u for u in by_name(candidates) if may_be_chosen(u, meeting)]


def revisions_of(report: SummaryReport) -> QuerySet[ReportRevision]:
    return report.revisions.select_related("created_by").order_by("-number", "-id")
