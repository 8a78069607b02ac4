"""Risk register, emergency plan, readiness and risk-event pages. Load with authorisation, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.risks import selectors, services
from meetops.risks.decisions import PLAN
from meetops.risks.forms import (
    CheckForm,
    CoordinationForm,
    DrillForm,
    EventForm,
    ItemForm,
    NoteForm,
    PlanForm,
    RiskForm,
)
from meetops.risks.levels import THRESHOLDS, starters_for
from meetops.risks.models import DrillOutcome, Level
from meetops.risks.permissions import (
    can_approve_plan,
    can_coordinate,
    can_edit_risks,
    can_inspect,
)


def _load(request: HttpRequest, pk: int, *, allowed: Callable[..., bool] | None = None) -> Meeting:
    """404 for those who may not see the meeting, 403 for those who may see it but not do this."""
    try:
        meeting = get_meeting_for_user(request.user, pk)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    if allowed is not None and not allowed(request.user, meeting):
        raise Forbidden
    return meeting


def _run(
    request: HttpRequest, back: str, meeting: Meeting, call: Callable[[], Any]
) -> HttpResponse:
    """Call the service; a refusal becomes a message on the page."""
    try:
        call()
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, str(exc.message))
    return redirect(back, pk=meeting.pk)


def _base(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {"meeting": meeting, "can_edit": can_edit_risks(request.user, meeting)}  # type: ignore[arg-type]


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        form = RiskForm(request.POST, meeting=meeting)
        if form.is_valid():
            return _run(
                request,
                "risk_register",
                meeting,
                lambda: services.add_risk(meeting, actor=request.user, **form.service_fields()),  # type: ignore[arg-type]
            )
    else:
        form = RiskForm(meeting=meeting)
    context = {
        **_base(request, meeting),
        "risks": selectors.risks_of(meeting),
        "form": form,
        "thresholds": THRESHOLDS,
        "starter_count": len(starters_for(meeting.kind.code)),
    }
    return render(request, "risks/register.html", context)


@login_required
@require_POST
def add_starters(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_edit_risks)
    return _run(
        request,
        "risk_register",
        meeting,
        lambda: services.add_starter_risks(meeting, actor=request.user),  # type: ignore[arg-type]
    )


@login_required
def edit_risk(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_edit_risks)
    try:
        risk = selectors.risk_of_meeting(meeting, risk_id)
    except NotFound as exc:
        raise Http404 from exc
    form = RiskForm(request.POST or None, instance=risk, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        risk.refresh_from_db()  # the form wrote into the instance; the service compares with the stored row
        return _run(
            request,
            "risk_register",
            meeting,
            lambda: services.update_risk(risk, actor=request.user, **form.service_fields()),  # type: ignore[arg-type]
        )
    return render(
        request, "risks/risk_form.html", {**_base(request, meeting), "form": form, "risk": risk}
    )


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    current = selectors.plan_of(meeting, language=request.user.language)  # type: ignore[union-attr]
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        form = PlanForm(request.POST)
        if form.is_valid():
            return _run(
                request,
                "emergency_plan",
                meeting,
                lambda: services.save_plan(meeting, actor=request.user, sections=form.cleaned_data),  # type: ignore[arg-type]
            )
    else:
        form = PlanForm(instance=current)
    context = {
        **_base(request, meeting),
        "plan": current,
        "form": form,
        "decision": NoteForm(),
        # The flow's answer, so the submitter sees no buttons they would be refused on.
        "can_approve": PLAN.can_decide(request.user, current),
    }
    return render(request, "risks/plan.html", context)


@login_required
@require_POST
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action == "submit":
        meeting = _load(request, pk, allowed=can_edit_risks)
        call = partial(services.submit_plan, meeting, actor=request.user)  # type: ignore[arg-type]
    elif action in ("approve", "return"):
        meeting = _load(request, pk, allowed=can_approve_plan)
        note = str(request.POST.get("note", ""))[:500]
        call = partial(
            services.decide_plan,
            meeting,
            actor=request.user,  # type: ignore[arg-type]
            approve=action == "approve",
            note=note,
        )
    else:
        raise Http404
    return _run(request, "emergency_plan", meeting, call)


@login_required
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    language = request.user.language  # type: ignore[union-attr]
    context = {"meeting": meeting, "plan": selectors.plan_of(meeting, language=language)}
    return render(request, "risks/plan_print.html", context)


@login_required
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    context = {
        **_base(request, meeting),
        "readiness": selectors.readiness_of(meeting),
        "can_inspect": can_inspect(request.user, meeting),  # type: ignore[arg-type]
        "item_form": ItemForm(),
    }
    return render(request, "risks/readiness.html", context)


@login_required
@require_POST
def readiness_add_item(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_edit_risks)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("label", [])))
        return redirect("readiness", pk=meeting.pk)
    return _run(
        request,
        "readiness",
        meeting,
        lambda: services.add_readiness_item(meeting, actor=request.user, **form.cleaned_data),  # type: ignore[arg-type]
    )


@login_required
@require_POST
def readiness_check(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_inspect)
    form = CheckForm(request.POST)
    form.is_valid()
    ok, note = form.cleaned_data.get("ok", False), form.cleaned_data.get("note", "")
    return _run(
        request,
        "readiness",
        meeting,
        lambda: services.check_item(meeting, code, actor=request.user, ok=ok, note=note),  # type: ignore[arg-type]
    )


@login_required
@require_POST
def readiness_sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_inspect)
    form = NoteForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    return _run(
        request,
        "readiness",
        meeting,
        lambda: services.sign_readiness(meeting, actor=request.user, note=note),  # type: ignore[arg-type]
    )


@login_required
def events(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        form = EventForm(request.POST, meeting=meeting)
        if form.is_valid():
            data = form.cleaned_data
            return _run(
                request,
                "risk_events",
                meeting,
                lambda: services.record_risk_event(
                    meeting,
                    actor=request.user,  # type: ignore[arg-type]
                    risk=data["risk"],
                    level=data["level"],
                    occurred_at=data["occurred_at"],
                    cause=data["cause"],
                    handling=data["handling"],
                    result=data["result"],
                    lessons=data["lessons"],
                ),
            )
    else:
        form = EventForm(meeting=meeting)
    context = {**_base(request, meeting), "events": selectors.events_of(meeting), "form": form}
    return render(request, "risks/events.html", context)


@login_required
def drills(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    form = DrillForm(request.POST or None)
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        if form.is_valid():
            try:
                services.record_drill(meeting, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationFailed as exc:
                # The form keeps what was typed; each refused field says why.
                for name in exc.details.get("fields", []):
                    form.add_error(name if name in form.fields else None, str(exc.message))
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, str(exc.message))
                return redirect("risk_drills", pk=meeting.pk)
            else:
                messages.success(request, _("The drill was recorded."))
                return redirect("risk_drills", pk=meeting.pk)
    context = {**_base(request, meeting), "drills": selectors.drills_of(meeting), "form": form}
    return render(request, "risks/drills.html", context, status=422 if form.errors else 200)


OVERVIEW_ROLES = ("admin", "organiser", "leader")  # also in api.overview


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Risk management across meetings, by year (P5.10): for organisers, leaders and admins."""
    from meetops.risks.overview import risk_overview

    if not request.user.has_role(*OVERVIEW_ROLES):  # type: ignore[union-attr]
        raise Forbidden
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 5)
    context = {
        "overview": risk_overview(request.user, year=year),  # type: ignore[arg-type]
        "levels": Level.choices,
        "outcomes": DrillOutcome.choices,
        "years": range(this_year + 1, this_year - 6, -1),
    }
    return render(request, "risks/overview.html", context)


@login_required
def coordination(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    """A risk's coordination thread between departments (P5.5)."""
    meeting = _load(request, pk)
    try:
        risk = selectors.risk_of_meeting(meeting, risk_id)
    except NotFound as exc:
        raise Http404 from exc
    may_post = can_coordinate(request.user, meeting, risk.owner_id)  # type: ignore[arg-type]
    form = CoordinationForm(request.POST or None)
    if request.method == "POST":
        if not may_post:
            raise Forbidden
        if form.is_valid():
            risk.meeting = meeting
            try:
                services.post_risk_note(risk, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("The message was sent."))
            return redirect("risk_coordination", pk=meeting.pk, risk_id=risk.pk)
    context = {
        **_base(request, meeting),
        "risk": risk,
        "notes": selectors.notes_of(risk),
        "form": form,
        "may_post": may_post,
    }
    return render(request, "risks/coordination.html", context, status=422 if form.errors else 200)
