"""Risk register, emergency plan, readiness and risk-event pages. Load with authorisation, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core import audit
from meetops.core.web import AuthedRequest, cleaned, errors_onto
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
from meetops.risks.overview import risk_overview
from meetops.risks.permissions import (
    can_approve_plan,
    can_coordinate,
    can_edit_risks,
    can_inspect,
)


def _load(
    request: AuthedRequest, pk: int, *, allowed: Callable[..., bool] | None = None
) -> Meeting:
    """404 for those who may not see the meeting, 403 for those who may see it but not do this."""
    meeting = get_meeting_for_user(request.user, pk)
    if allowed is not None and not allowed(request.user, meeting):
        raise Forbidden
    return meeting


def _base(request: AuthedRequest, meeting: Meeting) -> dict[str, Any]:
    return {"meeting": meeting, "can_edit": can_edit_risks(request.user, meeting)}


@login_required
def register(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        form = RiskForm(request.POST, meeting=meeting)
        if form.is_valid():
            with errors_onto(form):
                services.add_risk(meeting, actor=request.user, **form.service_fields())
                return redirect("risk_register", pk=meeting.pk)
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
def add_starters(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_edit_risks)
    services.add_starter_risks(meeting, actor=request.user)
    return redirect("risk_register", pk=meeting.pk)


@login_required
def edit_risk(request: AuthedRequest, pk: int, risk_id: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_edit_risks)
    risk = selectors.risk_of_meeting(meeting, risk_id)
    form = RiskForm(request.POST or None, instance=risk, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        risk.refresh_from_db()  # the form wrote into the instance; the service compares with the stored row
        with errors_onto(form):
            services.update_risk(risk, actor=request.user, **form.service_fields())
            return redirect("risk_register", pk=meeting.pk)
    return render(
        request, "risks/risk_form.html", {**_base(request, meeting), "form": form, "risk": risk}
    )


@login_required
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    current = selectors.plan_of(meeting, language=request.user.language)
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        form = PlanForm(request.POST)
        if form.is_valid():
            with errors_onto(form):
                saved = services.save_plan(meeting, actor=request.user, sections=form.cleaned_data)
                if audit.nothing_changed(saved):
                    messages.info(request, _("Nothing changed."))
                return redirect("emergency_plan", pk=meeting.pk)
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
def plan_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action == "submit":
        meeting = _load(request, pk, allowed=can_edit_risks)
        services.submit_plan(meeting, actor=request.user)
    elif action in ("approve", "return"):
        meeting = _load(request, pk, allowed=can_approve_plan)
        note = str(request.POST.get("note", ""))[:500]
        services.decide_plan(
            meeting,
            actor=request.user,
            approve=action == "approve",
            note=note,
        )
    else:
        raise Http404
    return redirect("emergency_plan", pk=meeting.pk)


@login_required
def plan_print(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    language = request.user.language
    context = {"meeting": meeting, "plan": selectors.plan_of(meeting, language=language)}
    return render(request, "risks/plan_print.html", context)


@login_required
def readiness(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    context = {
        **_base(request, meeting),
        "readiness": selectors.readiness_of(meeting),
        "can_inspect": can_inspect(request.user, meeting),
        "item_form": ItemForm(),
    }
    return render(request, "risks/readiness.html", context)


@login_required
@require_POST
def readiness_add_item(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_edit_risks)
    fields = cleaned(ItemForm(request.POST))
    services.add_readiness_item(meeting, actor=request.user, **fields)
    return redirect("readiness", pk=meeting.pk)


@login_required
@require_POST
def readiness_check(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_inspect)
    form = CheckForm(request.POST)
    form.is_valid()
    ok, note = form.cleaned_data.get("ok", False), form.cleaned_data.get("note", "")
    services.check_item(meeting, code, actor=request.user, ok=ok, note=note)
    return redirect("readiness", pk=meeting.pk)


@login_required
@require_POST
def readiness_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, allowed=can_inspect)
    form = NoteForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    services.sign_readiness(meeting, actor=request.user, note=note)
    return redirect("readiness", pk=meeting.pk)


@login_required
def events(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        form = EventForm(request.POST, meeting=meeting)
        if form.is_valid():
            data = form.cleaned_data
            with errors_onto(form):
                services.record_risk_event(
                    meeting,
                    actor=request.user,
                    risk=data["risk"],
                    level=data["level"],
                    occurred_at=data["occurred_at"],
                    cause=data["cause"],
                    handling=data["handling"],
                    result=data["result"],
                    lessons=data["lessons"],
                )
                messages.success(request, _("The event is recorded."))
                return redirect("risk_events", pk=meeting.pk)
    else:
        form = EventForm(meeting=meeting)
    context = {**_base(request, meeting), "events": selectors.events_of(meeting), "form": form}
    return render(request, "risks/events.html", context)


@login_required
def drills(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    form = DrillForm(request.POST or None)
    if request.method == "POST":
        meeting = _load(request, pk, allowed=can_edit_risks)
        if form.is_valid():
            with errors_onto(form):  # the form keeps what was typed; each refused field says why
                services.record_drill(meeting, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The drill was recorded."))
                return redirect("risk_drills", pk=meeting.pk)
    context = {**_base(request, meeting), "drills": selectors.drills_of(meeting), "form": form}
    return render(request, "risks/drills.html", context, status=422 if form.errors else 200)


OVERVIEW_ROLES = ("admin", "organiser", "leader")  # also in api.overview


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    """Risk management across meetings, by year (P5.10): for organisers, leaders and admins."""
    if not request.user.has_role(*OVERVIEW_ROLES):
        raise Forbidden
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 5)
    context = {
        "overview": risk_overview(request.user, year=year),
        "levels": Level.choices,
        "outcomes": DrillOutcome.choices,
        "years": range(this_year + 1, this_year - 6, -1),
    }
    return render(request, "risks/overview.html", context)


@login_required
def coordination(request: AuthedRequest, pk: int, risk_id: int) -> HttpResponse:
    """A risk's coordination thread between departments (P5.5)."""
    meeting = _load(request, pk)
    risk = selectors.risk_of_meeting(meeting, risk_id)
    may_post = can_coordinate(request.user, meeting, risk.owner_id)
    form = CoordinationForm(request.POST or None)
    if request.method == "POST":
        if not may_post:
            raise Forbidden
        if form.is_valid():
            risk.meeting = meeting
            with errors_onto(form):
                services.post_risk_note(risk, actor=request.user, **form.cleaned_data)
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
