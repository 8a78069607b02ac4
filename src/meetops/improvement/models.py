"""Learning across meetings: lessons (P4.8, P8.6, P6.7), improvement measures (P6.8, P9.1, P9.7)
and the case library with its sharing sessions (P4.9, P8.5, P9.5, P9.6, P10.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    RUNNING = "running", _("Running the meeting")
    AFTER = "after", _("After the meeting")
    FOLLOWUP = "followup", _("Follow-up work")


class Category(models.TextChoices):
    VENUE = "venue", _("Venue")
    TIME = "time", _("Time and schedule")
    PEOPLE = "people", _("People")
    MATERIALS = "materials", _("Materials")
    TECH = "tech", _("Technology")
    PROCESS = "process", _("Process")
    OTHER = "other", _("Other")


class Effect(models.TextChoices):
    POSITIVE = "positive", _("Keep doing")
    NEGATIVE = "negative", _("Problem")


class SourceLinked(models.Model):
    """Where a lesson or a measure came from (P6.7, P9.1): a questionnaire answer, an evaluation
    indicator, an acceptance review, a drill, a lesson. Kind + object (+ key) name it; the label
    and the path back are kept as they were when it was recorded, so they survive the source."""

    source_kind = models.CharField(_("source kind"), max_length=30, blank=True)
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_key = models.CharField(max_length=40, blank=True)
    source_label = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    # The path back as this reader may follow it ("" when the source's page is not theirs):
    # set by `selectors.with_source_links` for a page.
    source_href: str = ""

    class Meta:
        abstract = True


class Lesson(SourceLinked):
    """What happened, why, and whether to repeat it. Without a meeting it is organisation-wide."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices)
    what_happened = models.TextField(_("what happened"))
    cause = models.TextField(_("cause analysis"), blank=True)
    # The root cause in a few words: the same words across meetings make a recurring cause.
    root_cause = models.CharField(_("root cause"), max_length=200, blank=True)
    # Where it came from, for apps that link in later ("evaluation", "follow-up", "risk event").
    source = models.CharField(_("source"), max_length=100, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["category", "created_at"]),
            models.Index(fields=["source_kind", "source_object_id"], name="lesson_source"),
        ]

    def __str__(self) -> str:
        return self.what_happened[:80]


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("measure", "Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", pgettext_lazy("measure", "Done")
    DROPPED = "dropped", _("Dropped")


OPEN_MEASURE_STATES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    PARTLY = "partly", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class Measure(SourceLinked):
    """An improvement measure (P6.8/P9.1), followed until its effect is judged (P9.7)."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="improvement_measures",
    )
    lessons = models.ManyToManyField(
        Lesson, verbose_name=_("lessons"), blank=True, related_name="measures"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_department = models.ForeignKey(
        "people.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    expected_effect = models.TextField(_("expected effect"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    result_note = models.TextField(_("result"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    effectiveness = models.CharField(
        _("effective?"), max_length=14, choices=Effectiveness.choices, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    proposes_process_change = models.BooleanField(_("proposes a process change"), default=False)
    process_change = models.TextField(_("proposed process change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("improvement measure")
        verbose_name_plural = _("improvement measures")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_department__isnull=False),
                name="measure_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["source_kind", "source_object_id"], name="measure_source")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEASURE_STATES


class CaseKind(models.TextChoices):
    MEETING = "meeting", _("One of our meetings")
    EXTERNAL = "external", _("Best practice from elsewhere")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")


class Case(models.Model):
    """An excellent case (P4.9/P8.5/P9.6) or a best practice from elsewhere (P10.3)."""

    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases",
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    success_factors = models.TextField(_("what made it work"))
    materials_note = models.TextField(_("reusable materials"), blank=True)
    # Normalised ",tag,tag," so that one tag is found with a plain LIKE on every database.
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("approver's note"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="meeting") & Q(meeting__isnull=False))
                | (Q(kind="external") & Q(meeting__isnull=True)),
                name="case_kind_matches_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class CaseSharing(models.Model):
    """P9.5: the case was presented at this experience-sharing session."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sharings")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="shared_cases"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sharing session")
        verbose_name_plural = _("sharing sessions")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "meeting"], name="case_shared_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.meeting_id}"
