"""Meeting pages. Each view parses, loads with authorisation, calls one service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetops.core.errors import DomainError, NotFound, PermissionDenied
from meetops.meetings import services
from meetops.meetings.forms import MeetingForm, StepCompleteForm, TransitionForm
from meetops.meetings.models import Stage
from meetops.meetings.permissions import can_create_meeting, can_manage_meeting
from meetops.meetings.selectors import get_meeting_for_user, meetings_visible_to
from meetops.policy import services as process
from meetops.policy.selectors import get_step, steps_of


def _load(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    try:
        return get_meeting_for_user(request.user, pk)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    qs = meetings_visible_to(request.user)  # type: ignore[arg-type]
    stage = request.GET.get("stage")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    return render(request, "meetings/list.html", {"meetings": qs.order_by("-start")[:200], "stages": Stage.choices, "stage": stage, "q": q})


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not can_create_meeting(request.user):  # type: ignore[arg-type]
        return HttpResponseForbidden()
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["expected_attendance"] = data.get("expected_attendance")
        try:
            meeting = services.create_meeting(actor=request.user, **data)  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error(exc.details.get("field"), str(exc.message))
        else:
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    steps = list(steps_of(meeting))
    for step in steps:
        step.effective_status = process.effective_status(step)
    return render(request, "meetings/detail.html", {
        "meeting": meeting,
        "steps": steps,
        "stages": [s for s in Stage if s != Stage.CANCELLED],
        "transitions": services.allowed_transitions(meeting),
        "can_manage": can_manage_meeting(request.user, meeting),  # type: ignore[arg-type]
        "participants": meeting.participants.select_related("user", "contact"),
    })


@login_required
@require_POST
def meeting_transition(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transition_meeting(meeting, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, Stage(form.cleaned_data["to"]).label)
        except PermissionDenied as exc:
            messages.error(request, str(exc.message))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            if exc.code == "steps_open":
                request.session["open_steps"] = exc.details.get("steps", [])
    return redirect("meeting_detail", pk=pk)


@login_required
@require_POST
def step_complete(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    meeting = _load(request, pk)
    form = StepCompleteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            process.complete_step(get_step(meeting, step_id), actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc.message))
    return redirect("meeting_detail", pk=pk)
