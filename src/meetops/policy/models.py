"""The policy as a process.

A `ProcessTemplate` is one published version of the policy's steps. Each
meeting is instantiated from the current version when it is created: its
`MeetingStep`s copy the texts and rules, so a later version never rewrites a
meeting that is already running.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from meetops.core.i18n import in_active_language
from meetops.meetings.models import MeetingRole, Stage


class Completion(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatically, from evidence in the system")
    SIGN_OFF = "sign_off", _("Signed off by a person")


class StepStatus(models.TextChoices):
    """Codes are part of the API contract."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")


class ProcessTemplate(models.Model):
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), unique=True)
    notes = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("process template")
        verbose_name_plural = _("process templates")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_process"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


S = TypeVar("S", bound=models.Model)
T = TypeVar("T", bound="StepDefinition | MeetingStep")

# The stages a process step belongs to, in the order of a meeting's life (a cancelled meeting
# has no steps of its own).
PROCESS_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s != Stage.CANCELLED)


def stage_rank() -> Case:
    """A step's stage as its place in a meeting's life: steps are ordered stage by stage."""
    return Case(
        *[When(stage=stage, then=Value(i)) for i, stage in enumerate(PROCESS_STAGES)],
        default=Value(len(PROCESS_STAGES)),
        output_field=IntegerField(),
    )


def in_process_order(steps: QuerySet[S]) -> QuerySet[S]:
    """Steps stage by stage, then by their place in the stage (`order` counts within a stage;
    versions from before the editor counted across stages, which sorts the same way)."""
    return steps.order_by(stage_rank(), "order", "id")


def steps_by_stage(steps: Iterable[T]) -> list[tuple[Stage, list[T]]]:
    """Steps under one heading per stage, stages in a meeting's order, each stage's steps in
    the order given: never a second heading for a stage, whatever the steps' `order` says."""
    grouped: dict[str, list[T]] = {}
    for step in steps:
        grouped.setdefault(step.stage, []).append(step)
    return [(stage, grouped[stage]) for stage in PROCESS_STAGES if stage in grouped]


class StepTexts(models.Model):
    """Step texts in the three interface languages."""

    title_zh_hans = models.CharField(_("title (Simplified Chinese)"), max_length=300)
    title_zh_hant = models.CharField(_("title (Traditional Chinese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return in_active_language(self.title_zh_hans, self.title_zh_hant, self.title_en)


class StepDefinition(StepTexts):
    template = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    # The place within its stage; read steps with `in_process_order`.
    order = models.PositiveIntegerField(_("order"), default=0)
    clause = models.CharField(_("policy clause"), max_length=10, help_text=_("For example P2.2"))
    required = models.BooleanField(_("required"), default=True)
    owner_role = models.CharField(
        _("owner"), max_length=20, choices=MeetingRole.choices, default=MeetingRole.ORGANISER
    )
    completion = models.CharField(
        _("completes"), max_length=12, choices=Completion.choices, default=Completion.SIGN_OFF
    )
    rule = models.CharField(_("completion rule"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("step definition")
        verbose_name_plural = _("step definitions")
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return f"{self.clause} {self.title}"


class MeetingStep(StepTexts):
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="steps")
    definition = models.ForeignKey(
        StepDefinition, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    clause = models.CharField(_("policy clause"), max_length=10)
    required = models.BooleanField(_("required"), default=True)
    owner_role = models.CharField(_("owner"), max_length=20, choices=MeetingRole.choices)
    completion = models.CharField(_("completes"), max_length=12, choices=Completion.choices)
    rule = models.CharField(_("completion rule"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="steps/%Y/%m/", blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    # Not stored: `policy.selectors.process_overview` sets these for the page it renders.
    effective_status: str
    rule_label: str
    can_complete: bool
    can_waive: bool
    can_reopen: bool

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["meeting", "order", "id"]
        indexes = [models.Index(fields=["meeting", "stage", "status"])]

    def __str__(self) -> str:
        return f"{self.clause} {self.title}"


class ReviewOutcome(models.TextChoices):
    UNCHANGED = "unchanged", _("Still fits: no change needed")
    REVISE = "revise", _("Needs a new version")


class ProcessReview(models.Model):
    """P9.8: the periodic review of the process in force, with its finding."""

    template = models.ForeignKey(ProcessTemplate, on_delete=models.PROTECT, related_name="reviews")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    outcome = models.CharField(_("finding"), max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField(_("what was looked at and why"))

    class Meta:
        verbose_name = _("process review")
        verbose_name_plural = _("process reviews")
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"v{self.template_id} {self.reviewed_at:%Y-%m-%d} {self.outcome}"
