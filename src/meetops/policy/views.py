"""Process step actions on the meeting page (htmx): complete, waive, reopen, download evidence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.downloads import stored_file
from meetops.core.web import AuthedRequest, cleaned
from meetops.meetings.views import load_meeting, render_detail
from meetops.policy import services
from meetops.policy.forms import StepCompleteForm, StepReopenForm, StepWaiveForm
from meetops.policy.selectors import get_step


def _act(
    request: AuthedRequest,
    pk: int,
    step_id: int,
    form: forms.Form,
    action: Callable[..., Any],
    notice: str,
) -> HttpResponse:
    """Load, call the service with the form's data, re-render the meeting body (or redirect)."""
    meeting = load_meeting(request, pk)
    step = get_step(meeting, step_id)
    action(step, actor=request.user, **cleaned(form))
    if not request.htmx:
        messages.success(request, notice)
        return redirect("meeting_detail", pk=pk)
    return render_detail(request, meeting, notice=notice)


@login_required
@require_POST
def step_complete(request: AuthedRequest, pk: int, step_id: int) -> HttpResponse:
    form = StepCompleteForm(request.POST, request.FILES)
    return _act(request, pk, step_id, form, services.complete_step, _("The step is done."))


@login_required
@require_POST
def step_waive(request: AuthedRequest, pk: int, step_id: int) -> HttpResponse:
    form = StepWaiveForm(request.POST)
    return _act(request, pk, step_id, form, services.waive_step, _("The step was waived."))


@login_required
@require_POST
def step_reopen(request: AuthedRequest, pk: int, step_id: int) -> HttpResponse:
    form = StepReopenForm(request.POST)
    return _act(request, pk, step_id, form, services.reopen_step, _("The step is open again."))


@login_required
def step_attachment(request: AuthedRequest, pk: int, step_id: int) -> FileResponse:
    """The evidence file of a step, for those who may see the meeting."""
    step = get_step(load_meeting(request, pk), step_id)
    if not step.attachment:
        raise Http404
    return stored_file(
        step.attachment.open("rb"), filename=Path(step.attachment.name or "attachment").name
    )
