"""Summary report page (draft, edit, submit, decide, plan), its exports, and the approvals inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.inbox import waiting_count
from meetops.core.web import AuthedRequest
from meetops.meetings.models import Meeting
from meetops.people.models import Department, User
from meetops.people.selectors import by_name
from meetops.reports import exports, forms, services
from meetops.reports.decisions import REPORT
from meetops.reports.inbox import waiting_for
from meetops.reports.models import Decision, ReportState, SummaryReport
from meetops.reports.permissions import can_write_report
from meetops.reports.selectors import leaders_for, load_for_report, report_of


def _load(request: AuthedRequest, pk: int) -> Meeting:
    return load_for_report(request.user, pk)


def _people(meeting: Meeting) -> list[User]:
    return list(
        by_name(User.objects.filter(participations__meeting=meeting, is_active=True).distinct())
    )


def _context(
    request: AuthedRequest, meeting: Meeting, report: SummaryReport | None
) -> dict[str, Any]:
    user = request.user
    writer = can_write_report(user, meeting)
    mine = None
    if report is not None and report.state == ReportState.SUBMITTED:
        mine = next(
            (
                a
                for a in report.approvals.all()
                if a.decision == Decision.PENDING and REPORT.can_decide(user, a)
            ),
            None,
        )
    open_lines = [i for i in report.instructions.all() if i.action_id is None] if report else []
    plannable = writer and bool(open_lines)
    return {
        "meeting": meeting,
        "report": report,
        "writer": writer,
        "editable": writer and (report is None or not report.locked),
        "sections": [(n, label, getattr(report, n, "")) for n, label in exports.section_titles()],
        "my_approval": mine,
        "leaders": leaders_for(meeting) if writer and report and not report.locked else [],
        "open_lines": open_lines,
        "people": _people(meeting) if plannable else [],
        "departments": list(Department.objects.order_by("path")) if plannable else [],
    }


@login_required
def report_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the report (editor for the organiser, decision form for a chosen leader). POST: save the text."""
    meeting = _load(request, pk)
    if request.method == "POST":
        fields, revision = forms.report_fields(request.POST)
        services.save_report(meeting, actor=request.user, fields=fields, revision=revision)
        messages.success(request, _("Summary report saved."))
        return redirect("summary_report", pk=meeting.pk)
    return render(request, "reports/page.html", _context(request, meeting, report_of(meeting)))


def _move(request: AuthedRequest, meeting: Meeting, report: SummaryReport | None, move: str) -> str:
    """Call the service for `move`; the message to show on success."""
    user: Any = request.user
    if move == "draft":
        services.draft_report(meeting, actor=user)
        return _("The report was drafted from the meeting's records; check and edit it.")
    if report is None:
        raise Http404
    if move == "submit":
        leaders = forms.chosen_leaders(request.POST, leaders_for(meeting))
        services.submit_report(report, actor=user, leaders=leaders)
        return _("Submitted to the leaders; they are being told.")
    instructions = request.POST.get("instructions", "")
    if move == "approve":
        services.approve_report(report, actor=user, instructions=instructions)
        return _("You approved the report; your instructions are recorded.")
    if move == "return":
        services.return_report(report, actor=user, instructions=instructions)
        return _("You returned the report with your instructions.")
    if move == "plan":
        open_lines = [i for i in report.instructions.all() if i.action_id is None]
        departments = list(Department.objects.all())
        rows = forms.plan_rows(request.POST, open_lines, _people(meeting), departments)
        created = services.plan_instructions(report, actor=user, rows=rows)
        return _("%(n)d action items were added to the execution plan.") % {"n": len(created)}
    raise Http404


@login_required
@require_POST
def report_move(request: AuthedRequest, pk: int, move: str) -> HttpResponse:
    meeting = _load(request, pk)
    messages.success(request, _move(request, meeting, report_of(meeting), move))
    if move in ("approve", "return"):
        return redirect("approvals")
    return redirect("summary_report", pk=meeting.pk)


@login_required
def approvals(request: AuthedRequest) -> HttpResponse:
    """Everything awaiting the signed-in user's decision."""
    items = waiting_for(request.user)
    return render(request, "reports/approvals.html", {"items": items, "nav_area": "approvals"})


@login_required
def approvals_badge(request: AuthedRequest) -> HttpResponse:
    """The menu's count of what waits on the user, loaded after the page (core/_menu.html)."""
    count = waiting_count(request.user)
    return render(request, "reports/_waiting_badge.html", {"count": count})
