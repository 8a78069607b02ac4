"""The meeting process as everyone can read it: its steps and what each version changed (P10.4)."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meetops.meetings.models import MeetingRole, Stage
from meetops.policy import rules
from meetops.policy.changes import changes_between, previous_version
from meetops.policy.models import ProcessTemplate
from meetops.policy.services import current_template


def _to_version(template: ProcessTemplate | None) -> HttpResponse:
    if template is None:
        raise Http404
    return redirect("process_version", version=template.version)


@login_required
def process_current(request: HttpRequest) -> HttpResponse:
    return _to_version(current_template())


@login_required
def process_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The version a meeting follows, linked by its id (no query on the meeting page)."""
    return _to_version(ProcessTemplate.objects.filter(pk=pk).first())


@login_required
def process_version(request: HttpRequest, version: int) -> HttpResponse:
    template = ProcessTemplate.objects.filter(version=version).first()
    # Drafts are the administrators' work in progress.
    if template is None or (template.published_at is None and not request.user.is_admin):  # type: ignore[union-attr]
        raise Http404
    steps = list(template.steps.order_by("order", "id"))
    stages = dict(Stage.choices)
    roles = dict(MeetingRole.choices)
    for step in steps:
        step.owner_label = roles.get(step.owner_role, step.owner_role)  # type: ignore[attr-defined]
        rule = rules.get_rule(step.rule) if step.rule else None
        step.rule_label = rule.label if rule else ""  # type: ignore[attr-defined]
    by_stage = [
        (stages.get(stage, stage), list(items))
        for stage, items in groupby(steps, key=lambda s: s.stage)
    ]
    previous = previous_version(template)
    context = {
        "template": template,
        "by_stage": by_stage,
        "previous": previous,
        "changes": changes_between(previous, template),
        "versions": ProcessTemplate.objects.filter(published_at__isnull=False).order_by("-version"),
    }
    return render(request, "policy/process.html", context)
