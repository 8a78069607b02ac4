"""The meeting process as everyone can read it: its steps and what each version changed (P10.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.web import AuthedRequest
from meetops.meetings.models import MeetingRole
from meetops.policy import rules
from meetops.policy.changes import changes_between, previous_version
from meetops.policy.models import (
    ProcessTemplate,
    ReviewOutcome,
    StepDefinition,
    in_process_order,
    steps_by_stage,
)
from meetops.policy.permissions import can_edit_process
from meetops.policy.review import record_review, review_status
from meetops.policy.services import current_template


def _to_version(template: ProcessTemplate | None) -> HttpResponse:
    if template is None:  # no version published yet
        raise Http404
    return redirect("process_version", version=template.version)


@login_required
def process_current(request: AuthedRequest) -> HttpResponse:
    return _to_version(current_template())


@login_required
def process_template(request: AuthedRequest, pk: int) -> HttpResponse:
    """The version a meeting follows, linked by its id (no query on the meeting page)."""
    return _to_version(get_object_or_404(ProcessTemplate, pk=pk))


class _Labels(TypedDict):
    owner_label: str | Promise
    rule_label: str | Promise


if TYPE_CHECKING:
    from django.utils.functional import Promise
    from django_stubs_ext import WithAnnotations

    _Labelled = WithAnnotations[StepDefinition, _Labels]


@login_required
def process_version(request: AuthedRequest, version: int) -> HttpResponse:
    template = get_object_or_404(ProcessTemplate, version=version)
    # Drafts are the administrators' work in progress.
    if template.published_at is None and not request.user.is_system_admin:
        raise Http404
    # Each step gets its labels just below, for the template.
    steps = cast("list[_Labelled]", list(in_process_order(template.steps.all())))
    roles = dict(MeetingRole.choices)
    for step in steps:
        step.owner_label = roles.get(step.owner_role, step.owner_role)
        rule = rules.get_rule(step.rule) if step.rule else None
        step.rule_label = rule.label if rule else ""
    by_stage = [(str(stage.label), items) for stage, items in steps_by_stage(steps)]
    previous = previous_version(template)
    status = review_status(template) if template.is_current else None
    context = {
        "review": status,
        "can_edit": can_edit_process(request.user),
        "reviews": template.reviews.select_related("reviewed_by"),
        "review_outcomes": ReviewOutcome.choices,
        "template": template,
        "by_stage": by_stage,
        "previous": previous,
        "changes": changes_between(previous, template),
        "versions": ProcessTemplate.objects.filter(published_at__isnull=False).order_by("-version"),
    }
    return render(request, "policy/process.html", context)


@login_required
@require_POST
def process_review(request: AuthedRequest, version: int) -> HttpResponse:
    """An administrator records the periodic review of the process in force."""
    template = get_object_or_404(ProcessTemplate, version=version)
    record_review(
        template,
        actor=request.user,
        outcome=request.POST.get("outcome", ""),
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("The review was recorded."))
    return redirect(reverse("process_version", args=[version]) + "#review")
