"""The room's pages: host console, speaker timer, "now on stage", support, questions, materials.

Each view loads and authorises on its first line, calls one service, renders.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meetops.agenda.models import AgendaItem
from meetops.core.downloads import stored_file
from meetops.core.filetypes import DOCUMENT_TYPES
from meetops.core.web import AuthedRequest, errors_onto
from meetops.live import permissions, selectors, services
from meetops.live.clock import clock_text
from meetops.live.forms import QuestionForm, ReleaseForm, ReportForm
from meetops.live.models import TicketCategory
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User


def _meeting(request: AuthedRequest, pk: int, check: Any = None) -> Meeting:
    """404 for those who may not see the meeting; 403 when `check(user, meeting)` says no."""
    meeting = get_meeting_for_user(request.user, pk)
    if check is not None and not check(request.user, meeting):
        raise Forbidden
    return meeting


def _is_htmx(request: AuthedRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.boosted)


def _console_context(request: AuthedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    board = selectors.board_of(meeting)
    questions = list(selectors.questions_of(meeting))
    return {
        "meeting": meeting,
        "board": board,
        "tickets": list(selectors.tickets_of(meeting)[:20]),
        "questions": questions,
        "minutes_text": _minutes_text(questions),
        **extra,
    }


def _minutes_text(questions: list[Any]) -> str:
    """Questions grouped by item, ready to paste into the minutes (author names shown: minutes are for the record)."""
    lines: list[str] = []
    for q in sorted(questions, key=lambda q: (q.item.order if q.item else -1, q.created_at)):
        item = q.item.title if q.item else "—"
        who = str(q.author) if q.author else "—"
        lines.append(f"[{item}] {who}: {q.text} (+{q.vote_count})")
    return "\n".join(lines)


@login_required
def console(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, permissions.can_run_console)
    template = "live/_console.html" if _is_htmx(request) else "live/console.html"
    return render(request, template, _console_context(request, meeting))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


class _MoveArgs(TypedDict):
    """What every console move passes its service."""

    actor: User
    expected_version: int


def _move(request: AuthedRequest, meeting: Meeting, action: str) -> None:
    # As in the API, a move must say which state it saw (the console's forms always do); a
    # post without one matches no version, so the service answers `live_state_changed`.
    version = _int(request.POST.get("version"))
    common: _MoveArgs = {
        "actor": request.user,
        "expected_version": -1 if version is None else version,
    }
    if action == "start":
        item = get_object_or_404(
            AgendaItem, meeting=meeting, pk=_int(request.POST.get("item")) or 0
        )
        services.start_item(meeting, item=item, **common)
    elif action == "next":
        services.next_item(meeting, **common)
    elif action == "end-item":
        services.end_item(meeting, **common)
    elif action == "pause":
        services.pause(meeting, **common)
    elif action == "resume":
        services.resume(meeting, **common)
    elif action == "end":
        services.end_meeting(meeting, **common)
    elif action == "warning":
        minutes = _int(request.POST.get("minutes")) or 0
        services.set_warning(meeting, actor=request.user, seconds=minutes * 60)
    else:
        raise Http404


@login_required
@require_POST
def console_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    meeting = _meeting(request, pk, permissions.can_run_console)
    _move(request, meeting, action)  # a refused move (a second device, too late): the boundary
    if _is_htmx(request):
        return render(request, "live/_console.html", _console_context(request, meeting))
    return redirect("live:console", pk=meeting.pk)


def _timer_context(meeting: Meeting) -> dict[str, Any]:
    board = selectors.board_of(meeting)
    current = board.current
    remaining = current.remaining_seconds if current else 0
    return {
        "meeting": meeting,
        "board": board,
        "current": current,
        "clock": clock_text(remaining),
        "over": remaining < 0,
    }


@login_required
def timer(request: AuthedRequest, pk: int) -> HttpResponse:
    """For the projector or the lectern: a big countdown, polled every second."""
    meeting = _meeting(request, pk)
    return render(request, "live/timer.html", _timer_context(meeting))


@login_required
def timer_frame(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "live/_timer.html", _timer_context(meeting))


@login_required
def now_on_stage(request: AuthedRequest, pk: int) -> HttpResponse:
    """Participants' phones: the agenda with the item on stage highlighted."""
    meeting = _meeting(request, pk)
    context = {
        "meeting": meeting,
        "board": selectors.board_of(meeting),
        "can_take_part": permissions.can_take_part(request.user, meeting),
        "can_run": permissions.can_run_console(request.user, meeting),
    }
    template = "live/_now.html" if _is_htmx(request) else "live/now.html"
    return render(request, template, context)


def _support_context(request: AuthedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    handler = permissions.can_handle_tickets(request.user, meeting)
    tickets = selectors.tickets_of(meeting)
    if not handler:
        tickets = tickets.filter(reported_by=request.user)
    return {
        "meeting": meeting,
        "handler": handler,
        "tickets": list(tickets[:50]),
        "categories": TicketCategory.choices,
        "form": extra.pop("form", None) or ReportForm(initial={"room": meeting.location}),
        **extra,
    }


@login_required
def support(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the report buttons and the tickets. POST: report (category, room, note)."""
    meeting = _meeting(request, pk, permissions.can_take_part)
    if request.method != "POST":
        return render(request, "live/support.html", _support_context(request, meeting))
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render(request, "live/support.html", _support_context(request, meeting, form=form))
    with errors_onto(form):
        services.report_problem(meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _reported_message())
        return redirect("live:support", pk=meeting.pk)
    return render(request, "live/support.html", _support_context(request, meeting, form=form))


def _reported_message() -> str:
    from django.utils.translation import gettext

    return gettext("Reported. The people on duty have been told.")


@login_required
@require_POST
def ticket_action(request: AuthedRequest, pk: int, ticket_id: int, action: str) -> HttpResponse:
    meeting = _meeting(request, pk, permissions.can_handle_tickets)
    ticket = get_object_or_404(selectors.tickets_of(meeting), pk=ticket_id)
    if action == "acknowledge":
        services.acknowledge_ticket(ticket, actor=request.user)
    elif action == "resolve":
        resolution = request.POST.get("resolution", "")[:1000]
        services.resolve_ticket(ticket, actor=request.user, resolution=resolution)
    else:
        raise Http404
    target = "live:console" if request.POST.get("next") == "console" else "live:support"
    return redirect(target, pk=meeting.pk)


def _questions_context(request: AuthedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    board = selectors.board_of(meeting)
    return {
        "meeting": meeting,
        "current": board.current,
        "questions": list(selectors.questions_of(meeting, viewer=request.user)),
        "can_answer": permissions.can_run_console(request.user, meeting),
        "form": extra.pop("form", None) or QuestionForm(),
        **extra,
    }


@login_required
def questions(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: questions on the item on stage and before. POST: ask one."""
    meeting = _meeting(request, pk, permissions.can_take_part)
    if request.method != "POST":
        return render(request, "live/questions.html", _questions_context(request, meeting))
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "live/questions.html", _questions_context(request, meeting, form=form)
        )
    with errors_onto(form):  # the question typed stays
        services.ask_question(meeting, actor=request.user, **form.cleaned_data)
        return redirect("live:questions", pk=meeting.pk)
    return render(request, "live/questions.html", _questions_context(request, meeting, form=form))


@login_required
@require_POST
def question_action(request: AuthedRequest, pk: int, question_id: int, action: str) -> HttpResponse:
    meeting = _meeting(request, pk, permissions.can_take_part)
    question = get_object_or_404(selectors.questions_of(meeting), pk=question_id)
    if action == "vote":
        services.vote_question(question, actor=request.user)
    elif action == "answered":
        services.mark_answered(question, actor=request.user)
    else:
        raise Http404
    target = "live:console" if request.POST.get("next") == "console" else "live:questions"
    return redirect(target, pk=meeting.pk)


def _materials_context(request: AuthedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    release = selectors.release_of(meeting)
    manager = permissions.can_release_materials(request.user, meeting)
    early = permissions.can_see_unreleased_materials(request.user, meeting)
    return {
        "meeting": meeting,
        "release": release,
        "released": selectors.is_released(release),
        "may_open": early or selectors.is_released(release),
        "items": list(selectors.material_items(meeting)),
        "opened": selectors.opened_by(request.user, meeting),
        "manager": manager,
        "readers": selectors.readers_of(meeting) if manager else [],
        "form": extra.pop("form", None) or ReleaseForm(),
        **extra,
    }


@login_required
def materials(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the meeting's materials and whether they are out. POST (managers): release them."""
    if request.method != "POST":
        meeting = _meeting(request, pk)
        return render(request, "live/materials.html", _materials_context(request, meeting))
    meeting = _meeting(request, pk, permissions.can_release_materials)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return render(
            request, "live/materials.html", _materials_context(request, meeting, form=form)
        )
    with errors_onto(form):
        services.release_materials(meeting, actor=request.user, **form.cleaned_data)
        return redirect("live:materials", pk=meeting.pk)
    return render(request, "live/materials.html", _materials_context(request, meeting, form=form))


@login_required
def material_download(request: AuthedRequest, pk: int, item_id: int) -> FileResponse:
    """Download one item's materials, counted per person; before the release only for those who run the meeting."""
    meeting = _meeting(request, pk)
    item = get_object_or_404(selectors.material_items(meeting), pk=item_id)
    early = permissions.can_see_unreleased_materials(request.user, meeting)
    if not early and not selectors.is_released(selectors.release_of(meeting)):
        raise Forbidden
    services.record_opening(item, actor=request.user)
    name = (item.materials.name or "").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return stored_file(
        item.materials.open("rb"),
        filename=name,
        content_type=DOCUMENT_TYPES.get(ext, "application/octet-stream"),
    )
