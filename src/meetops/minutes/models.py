"""Minutes of a meeting (P3.9, P3.10) and the action items that follow from it (P4.5).

One `Minutes` document per meeting, organised in sections (one per agenda
item, plus free sections), each with discussion notes and `Decision`s. The
host's closing summary and action plan are part of the document. Every save
keeps a `MinutesRevision` (who, when, what, why) with a snapshot of the whole
document, so an approved text can always be shown as it was approved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MinutesState(models.TextChoices):
    """Codes are part of the API contract."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Minutes(models.Model):
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="minutes"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    notes = models.TextField(_("general notes"), blank=True)
    summary = models.TextField(_("closing summary"), blank=True)
    action_plan = models.TextField(_("action plan"), blank=True)
    return_comment = models.TextField(_("comment from the review"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.get_state_display()}"

    @property
    def locked(self) -> bool:
        return self.state in (MinutesState.APPROVED, MinutesState.PUBLISHED)


class MinutesSection(models.Model):
    """The minutes of one agenda item (or a free section): discussion notes and decisions."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="sections")
    agenda_item = models.ForeignKey(
        "agenda.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("discussion notes"), blank=True)

    class Meta:
        verbose_name = _("minutes section")
        verbose_name_plural = _("minutes sections")
        ordering = ["minutes", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    section = models.ForeignKey(MinutesSection, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("decision"))
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["section", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def has_votes(self) -> bool:
        return any(v is not None for v in (self.votes_for, self.votes_against, self.votes_abstain))


class MinutesRevision(models.Model):
    """One saved or state-changing version of the minutes, with the whole document as it then was."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    state = models.CharField(_("state"), max_length=12, choices=MinutesState.choices)
    action = models.CharField(_("action"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    snapshot = models.JSONField(_("content"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["minutes", "-id"]

    def __str__(self) -> str:
        return f"{self.minutes_id} r{self.number} {self.action}"


class ActionState(models.TextChoices):
    """Codes are part of the API contract."""

    OPEN = "open", pgettext_lazy("action item", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("action item", "In progress")
    DONE = "done", pgettext_lazy("action item", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action item", "Cancelled")


class ActionItem(models.Model):
    """A task from the meeting's action plan, owned by a person and/or a department (P4.5)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("owning department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ActionState.choices,
        default=ActionState.OPEN,
        db_index=True,
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(department__isnull=False),
                name="action_item_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.state in (ActionState.OPEN, ActionState.IN_PROGRESS)
