"""The process editor for administrators, under /process/editor/ (P10.1, P10.2).

One page: the draft's steps stage by stage, each with ↑ ↓ (htmx swaps the editor; without
JavaScript the form posts and the page comes back), its edit form and removal, a form to add
a step at the end of each stage; then the preview of what changes for new meetings and the
button that publishes. The rules live in `policy.editor` and `policy.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.errors import NotFound
from meetops.core.web import AuthedRequest, errors_onto, htmx_template
from meetops.meetings.models import MeetingRole
from meetops.policy import editor, rules, services
from meetops.policy.changes import describe
from meetops.policy.forms import StepForm
from meetops.policy.models import (
    PROCESS_STAGES,
    ProcessTemplate,
    StepDefinition,
    in_process_order,
    steps_by_stage,
)
from meetops.policy.permissions import can_edit_process


@dataclass
class EditorStep:
    step: StepDefinition
    form: StepForm | None  # only for the step being edited: the page stays light on a phone
    owner_label: str
    rule_label: str
    first: bool
    last: bool


@dataclass
class EditorStage:
    stage: str
    label: str
    steps: list[EditorStep]
    add_form: StepForm | None


def draft_stages(
    draft: ProcessTemplate,
    *,
    edit: int | None = None,
    add: str = "",
    bound: StepForm | None = None,
) -> list[EditorStage]:
    """The draft's steps under one heading per stage (every stage, empty ones too: a step can
    be added to any). The form of the step `edit` or of adding to the stage `add` is open;
    `bound` is that form with refused input, shown again with its errors."""
    roles = dict(MeetingRole.choices)
    grouped = dict(steps_by_stage(in_process_order(draft.steps.all())))
    stages = []
    for stage in PROCESS_STAGES:
        steps = grouped.get(stage, [])
        rows = []
        for i, step in enumerate(steps):
            rule = rules.get_rule(step.rule) if step.rule else None
            form = None
            if step.pk == edit:
                form = bound or StepForm.for_step(step)
            rows.append(
                EditorStep(
                    step,
                    form,
                    str(roles.get(step.owner_role, step.owner_role)),
                    str(rule.label) if rule else step.rule,
                    first=i == 0,
                    last=i == len(steps) - 1,
                )
            )
        add_form = None
        if stage == add:
            add_form = bound or StepForm(
                prefix=f"add-{stage}", initial={"stage": stage, "required": True}
            )
        stages.append(EditorStage(stage.value, str(stage.label), rows, add_form))
    return stages


def _allowed(request: AuthedRequest) -> None:
    if not can_edit_process(request.user):
        raise Forbidden


def _draft_step(definition_id: int) -> StepDefinition:
    """A step of the draft being edited; steps of published versions are not editable here."""
    step = editor.get_draft_step(definition_id)
    if step is None:
        raise NotFound()
    return step


def _page(
    request: AuthedRequest,
    *,
    status: int = 200,
    edit: int | None = None,
    add: str = "",
    bound: StepForm | None = None,
) -> HttpResponse:
    draft = editor.get_draft()
    context: dict[str, Any] = {
        "draft": draft,
        "current": services.current_template(),
        "stages": draft_stages(draft, edit=edit, add=add, bound=bound) if draft else [],
        "nav_area": "process_editor",
    }
    template = htmx_template(request, "policy/editor.html", "policy/_editor.html")
    # htmx swaps only a 2xx answer: a refused form comes back with its errors beside the fields.
    return render(request, template, context, status=200 if request.htmx else status)


def _back(request: AuthedRequest, notice: str) -> HttpResponse:
    if request.htmx:
        return _page(request)
    messages.success(request, notice)
    return redirect("process_editor")


@login_required
def process_editor(request: AuthedRequest) -> HttpResponse:
    """GET: the editor. POST: start a draft from the version in force."""
    _allowed(request)
    if request.method == "POST":
        draft = editor.start_draft(actor=request.user)
        return _back(request, _("Version %(v)d drafted.") % {"v": draft.version})
    edit = request.GET.get("edit", "")
    return _page(
        request,
        edit=int(edit) if edit.isdigit() and len(edit) < 19 else None,
        add=request.GET.get("add", "")[:20],
    )


def _form_values(form: StepForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in StepForm.base_fields}


@login_required
@require_POST
def editor_add(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    draft = editor.get_draft()
    if draft is None:
        raise NotFound()
    stage = request.POST.get("stage", "")[:20]
    form = StepForm(request.POST, prefix=f"add-{stage}")
    if form.is_valid():
        with errors_onto(form):
            editor.add_step(draft, actor=request.user, **_form_values(form))
            return _back(request, _("The step was added."))
    return _page(request, status=422, add=stage, bound=form)


@login_required
@require_POST
def editor_update(request: AuthedRequest, definition_id: int) -> HttpResponse:
    _allowed(request)
    step = _draft_step(definition_id)
    form = StepForm.for_step(step, request.POST)
    if form.is_valid():
        with errors_onto(form):
            editor.update_step(step, actor=request.user, **_form_values(form))
            return _back(request, _("The step was saved."))
    return _page(request, status=422, edit=step.pk, bound=form)


@login_required
@require_POST
def editor_move(request: AuthedRequest, definition_id: int) -> HttpResponse:
    _allowed(request)
    step = _draft_step(definition_id)
    editor.move_step(step, actor=request.user, direction=request.POST.get("direction", ""))
    return _back(request, _("The step was moved."))


@login_required
@require_POST
def editor_remove(request: AuthedRequest, definition_id: int) -> HttpResponse:
    _allowed(request)
    editor.remove_step(_draft_step(definition_id), actor=request.user)
    return _back(request, _("The step was removed."))


@login_required
def editor_preview(request: AuthedRequest) -> HttpResponse:
    """What publishing the draft changes for new meetings, in words, and the publish button."""
    _allowed(request)
    draft = editor.get_draft()
    if draft is None:
        return redirect("process_editor")
    changes = [(change, describe(change)) for change in editor.preview(draft)]
    context = {
        "draft": draft,
        "current": services.current_template(),
        "changes": changes,
        "seen": services.fingerprint(draft),
        "nav_area": "process_editor",
    }
    return render(request, "policy/editor_preview.html", context)


@login_required
@require_POST
def editor_publish(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    draft = editor.get_draft()
    if draft is None:
        raise NotFound()
    seen = request.POST.get("seen", "")[:64] or None
    template = services.publish_version(draft, actor=request.user, seen=seen)
    messages.success(
        request,
        _(
            "Version %(v)d is in force: new meetings follow it; meetings already created keep theirs."
        )
        % {"v": template.version},
    )
    return redirect("process_version", version=template.version)
