"""Editing a draft process version: its steps stage by stage (P10.1, P10.2).

A draft is the newest unpublished version. Every write locks the draft's row and refuses a
version already published: meetings were instantiated from it and keep it (`models`).
A step's `order` is its place within its stage, 1, 2, 3...: moving a step swaps it with its
neighbour in the same stage, so a step can never land between two steps of another stage.
Publishing is `services.publish_version` (audited, announced, P10.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, NotFound, PermissionDenied
from meetops.core.schemas import MAX_DB_ID
from meetops.core.validation import choice_problem, fields_refused, required_problem
from meetops.meetings.models import MeetingRole
from meetops.people.models import User
from meetops.policy import rules
from meetops.policy.changes import StepChange, changes_between
from meetops.policy.clauses import CLAUSES
from meetops.policy.models import (
    PROCESS_STAGES,
    Completion,
    ProcessTemplate,
    StepDefinition,
)
from meetops.policy.permissions import can_edit_process
from meetops.policy.services import current_template, draft_new_version, renumber

# What a person edits on a step; `completion` follows from `rule` (a rule: automatic).
STEP_INPUT = ("stage", "clause", "title_zh_hans", "title_zh_hant", "title_en")
STEP_CHOICES = ("owner_role", "required", "rule")
TITLE_LENGTH = 300
UP, DOWN = "up", "down"


def _check(actor: User) -> None:
    if not can_edit_process(actor):
        raise PermissionDenied()


def get_draft() -> ProcessTemplate | None:
    """The version being edited: the newest one not yet published."""
    return ProcessTemplate.objects.filter(published_at__isnull=True).order_by("-version").first()


def get_draft_step(definition_id: int) -> StepDefinition | None:
    """A step of the draft; None for any other version's step (published ones are frozen)."""
    draft = get_draft()
    if draft is None or not 0 < definition_id <= MAX_DB_ID:
        return None
    return draft.steps.filter(pk=definition_id).select_related("template").first()


def start_draft(*, actor: User) -> ProcessTemplate:
    """The draft to edit: the one in progress, else a copy of the version in force."""
    _check(actor)
    with transaction.atomic():
        # One draft at a time: two administrators starting at once get the same one.
        ProcessTemplate.objects.select_for_update().filter(is_current=True).first()
        return get_draft() or draft_new_version(actor=actor)


def _locked(template: ProcessTemplate) -> ProcessTemplate:
    """The draft's row, locked; refused once published. Call inside a transaction."""
    locked = ProcessTemplate.objects.select_for_update().filter(pk=template.pk).first()
    if locked is None:
        raise NotFound()
    if locked.published_at is not None:
        raise DomainError(
            _("Version %(version)s is published: draft a new version to change it.")
            % {"version": locked.version},
            "version_published",
            version=locked.version,
        )
    return locked


def clean_step(values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The step's fields from input, every refusal named by its field.

    `partial`: only the fields given are checked and returned (an edit)."""
    problems: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in (*STEP_INPUT, *STEP_CHOICES):
        if values.get(name) is None:  # left out, or null in a change: as it was
            if not partial and name in ("stage", "clause", "title_zh_hans", "owner_role"):
                problems[name] = required_problem()
            continue
        value = values[name]
        cleaned[name] = value.strip() if isinstance(value, str) else value
    if "stage" in cleaned and cleaned["stage"] not in PROCESS_STAGES:
        problems["stage"] = choice_problem()
    if "clause" in cleaned and cleaned["clause"] not in CLAUSES:
        problems["clause"] = _("Choose a clause of the policy, for example P2.2.")
    if "title_zh_hans" in cleaned and not cleaned["title_zh_hans"]:
        problems["title_zh_hans"] = required_problem()
    for name in ("title_zh_hans", "title_zh_hant", "title_en"):
        if len(cleaned.get(name) or "") > TITLE_LENGTH:
            problems[name] = _("At most %(n)d characters.") % {"n": TITLE_LENGTH}
    if "owner_role" in cleaned and cleaned["owner_role"] not in MeetingRole.values:
        problems["owner_role"] = choice_problem()
    if "required" in cleaned and not isinstance(cleaned["required"], bool):
        problems["required"] = choice_problem()
    if "rule" in cleaned:
        cleaned["rule"] = cleaned["rule"] or ""
        if cleaned["rule"] and rules.get_rule(cleaned["rule"]) is None:
            problems["rule"] = _("Choose one of the registered completion rules.")
        cleaned["completion"] = Completion.AUTOMATIC if cleaned["rule"] else Completion.SIGN_OFF
    if problems:
        raise fields_refused(
            _("The step was not saved."), "invalid_step", problems, model=StepDefinition
        )
    return cleaned


def _next_place(template: ProcessTemplate, stage: str) -> int:
    last = template.steps.filter(stage=stage).aggregate(m=Max("order"))["m"]
    return (last or 0) + 1


def add_step(template: ProcessTemplate, *, actor: User, **values: Any) -> StepDefinition:
    """Add a step at the end of its stage in the draft. Raises `invalid_step` naming fields."""
    _check(actor)
    fields = clean_step({"required": True, "rule": "", **values})
    with transaction.atomic():
        template = _locked(template)
        step = StepDefinition.objects.create(
            template=template, order=_next_place(template, fields["stage"]), **fields
        )
        audit.record(
            "policy.template.step_added",
            template,
            actor=actor,
            data={"step": step.pk, "clause": step.clause, "stage": step.stage},
        )
    return step


def update_step(step: StepDefinition, *, actor: User, **values: Any) -> StepDefinition:
    """Change a draft's step; a step given another stage goes to the end of that stage."""
    _check(actor)
    fields = clean_step(values, partial=True)
    with transaction.atomic():
        template = _locked(step.template)
        step = StepDefinition.objects.select_for_update().get(pk=step.pk)
        changes = {
            name: [getattr(step, name), value]
            for name, value in fields.items()
            if getattr(step, name) != value
        }
        if "stage" in changes:
            step.order = _next_place(template, fields["stage"])
        for name, value in fields.items():
            setattr(step, name, value)
        if changes:
            step.save(update_fields=[*fields, "order"])
            renumber(template)
            audit.record(
                "policy.template.step_changed",
                template,
                actor=actor,
                changes=changes,
                data={"step": step.pk, "clause": step.clause},
            )
    return step


def remove_step(step: StepDefinition, *, actor: User) -> None:
    """Take a step out of the draft (meetings already following a version keep theirs)."""
    _check(actor)
    with transaction.atomic():
        template = _locked(step.template)
        step = StepDefinition.objects.select_for_update().get(pk=step.pk)
        data = {"step": step.pk, "clause": step.clause, "stage": step.stage}
        step.delete()
        renumber(template)
        audit.record("policy.template.step_removed", template, actor=actor, data=data)


def move_step(step: StepDefinition, *, actor: User, direction: str) -> StepDefinition:
    """Swap a step with its neighbour in the same stage (up: earlier). At the stage's edge it
    stays where it is: a step never leaves its stage by moving."""
    _check(actor)
    if direction not in (UP, DOWN):
        raise fields_refused(
            _("The step was not moved."),
            "invalid_direction",
            {"direction": choice_problem()},
            labels={"direction": _("direction")},
        )
    with transaction.atomic():
        template = _locked(step.template)
        renumber(template)
        siblings = list(
            StepDefinition.objects.select_for_update()
            .filter(template=template, stage=step.stage)
            .order_by("order", "id")
        )
        index = next((i for i, s in enumerate(siblings) if s.pk == step.pk), None)
        if index is None:
            raise NotFound()
        other = index - 1 if direction == UP else index + 1
        if not 0 <= other < len(siblings):
            return siblings[index]
        moved, neighbour = siblings[index], siblings[other]
        moved.order, neighbour.order = neighbour.order, moved.order
        StepDefinition.objects.bulk_update([moved, neighbour], ["order"])
        audit.record(
            "policy.template.step_moved",
            template,
            actor=actor,
            changes={"order": [neighbour.order, moved.order]},
            data={"step": moved.pk, "clause": moved.clause, "stage": moved.stage},
        )
    return moved


def preview(template: ProcessTemplate) -> list[StepChange]:
    """What publishing the draft changes for new meetings, against the version in force."""
    return changes_between(current_template(), template)
