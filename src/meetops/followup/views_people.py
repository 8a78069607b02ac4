"""Pages of department heads and of people's follow-up (P8.8, P8.9): my follow-up (my figures
and my task feed), the department's board, a department's and a person's performance (+ XLSX
for 年度考核), and the task feed itself (public, behind its secret)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetops.core.downloads import download_response
from meetops.core.schemas import MAX_DB_ID
from meetops.core.web import AuthedRequest, cleaned
from meetops.followup import exports, feeds, forms, performance, permissions, selectors
from meetops.people.models import Department, DepartmentHead, User
from meetops.people.selectors import by_name, headed_department_ids


def _department(
    request: AuthedRequest, pk: int, allowed: Callable[[User, Department], bool]
) -> Department:
    """The department, or 404 for whoever may not see this page of it."""
    department = Department.objects.filter(pk=pk).first() if 0 < pk <= MAX_DB_ID else None
    if department is None or not allowed(request.user, department):
        raise Http404
    return department


def _period(request: AuthedRequest) -> tuple[forms.PeriodForm, performance.Period]:
    form = forms.PeriodForm(request.GET or None)
    data = cleaned(form) if request.GET.get("start") or request.GET.get("end") else {}
    return form, performance.Period.of(data.get("start"), data.get("end"))


def _headed(user: User) -> list[Department]:
    """The departments the user heads directly, in tree order."""
    ids = DepartmentHead.objects.filter(user=user).values("department_id")
    return list(Department.objects.filter(pk__in=ids))


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    """My figures over the period, the departments I head, and my task feed."""
    form, period = _period(request)
    line = performance.people_lines(User.objects.filter(pk=request.user.pk), period)[0]
    return render(
        request,
        "followup/mine.html",
        {
            "form": form,
            "period": period,
            "line": line,
            "headed": _headed(request.user),
            "feed_url": feeds.task_feed_url(request.user),
            "nav_area": "followup",
        },
    )


@login_required
@require_POST
def feed_reset(request: AuthedRequest) -> HttpResponse:
    feeds.reset_task_feed(request.user, actor=request.user)
    messages.success(request, _("Your task feed has a new address; the old one no longer works."))
    return redirect("followup:mine")


@require_GET
def task_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's tasks as iCalendar VTODO; the token is the only credential."""
    user = feeds.owner_of(token)
    response = download_response(
        feeds.calendar(user),
        filename="meetops-tasks.ics",
        content_type="text/calendar; charset=utf-8",
        inline=True,
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def department_board(request: AuthedRequest, department_id: int) -> HttpResponse:
    """The department's open and overdue items; its heads give them to their people."""
    department = _department(request, department_id, permissions.can_see_department_board)
    rows, totals = selectors.department_board(request.user, department)
    heads_here = department.pk in headed_department_ids(request.user)
    people = (
        list(by_name(performance.department_people(department).select_related(None)))
        if heads_here
        else []
    )
    return render(
        request,
        "followup/department_board.html",
        {
            "department": department,
            "rows": rows,
            "totals": totals,
            "people": people,
            "today": timezone.localdate(),
            "nav_area": "followup",
        },
    )


@login_required
@require_GET
def department_performance(request: AuthedRequest, department_id: int) -> HttpResponse:
    """The department's figures and each of its people's (heads and leaders only)."""
    department = _department(request, department_id, permissions.can_see_department_performance)
    form, period = _period(request)
    total = performance.department_line(department, period)
    lines = performance.people_lines(performance.department_people(department), period)
    if request.GET.get("format") == "xlsx":
        content = performance.xlsx(department.name, period, [total, *lines])
        return exports.download(content, f"performance-department-{department.pk}.xlsx")
    return render(
        request,
        "followup/performance.html",
        {
            "form": form,
            "period": period,
            "title": department.name,
            "total": total,
            "lines": lines,
            "department": department,
            "nav_area": "followup",
        },
    )


@login_required
@require_GET
def person_performance(request: AuthedRequest, user_id: int) -> HttpResponse:
    """One person's figures (themself, their department head, leaders only)."""
    person = User.objects.filter(pk=user_id).first() if 0 < user_id <= MAX_DB_ID else None
    if person is None or not permissions.can_see_performance_of(request.user, person):
        raise Http404
    form, period = _period(request)
    line = performance.people_lines(User.objects.filter(pk=person.pk), period)[0]
    if request.GET.get("format") == "xlsx":
        content = performance.xlsx(str(person), period, [line])
        return exports.download(content, f"performance-person-{person.pk}.xlsx")
    return render(
        request,
        "followup/performance.html",
        {
            "form": form,
            "period": period,
            "title": str(person),
            "total": line,
            "lines": [],
            "person": person,
            "nav_area": "followup",
        },
    )
