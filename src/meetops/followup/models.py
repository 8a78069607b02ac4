"""Follow-up of the action plan (P4.5, P8.1–P8.4, P8.8–P8.10).

Around each `minutes.ActionItem`:
- `ActionUpdate`: the timeline. The owner reports progress (percent, note, an optional
  attachment checked by content); others involved comment (P8.1, P8.3).
- `DueDateChange`: every move of the due date, with its reason (the history of extensions).
- `Escalation`: a problem raised upwards, to the meeting's organisers and chosen leaders,
  answered with a decision or instruction; overdue items are escalated automatically (P8.4).
- `Review`: the organiser's (or instructing leader's) acceptance of done work with a rating,
  or its return with a reason (P8.2, P8.9).
- `Cooperation`: departments that work on an item besides the owning one (P8.8).
- `Urge`: an organiser's or leader's 催办 of an overdue item's owner, at most once per item
  per day (the unique day is the limit, so two at once cannot both pass).
- `FollowupRules`: the follow-up rules in force (reminder cadence, escalation days, who
  accepts), one version current; `RulesProposal`: a proposed change with its reason, decided
  by whoever may change the process and adopted as a new version (P8.7, ADR 0027).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UpdateKind(models.TextChoices):
    """Codes are part of the API contract."""

    PROGRESS = "progress", _("Progress report")
    COMMENT = "comment", _("Comment")


class ActionUpdate(models.Model):
    action = models.ForeignKey(
        "minutes.ActionItem", on_delete=models.CASCADE, related_name="followup_updates"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=UpdateKind.choices)
    percent = models.PositiveSmallIntegerField(_("percent done"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="followup/%Y/%m/", blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="followup_update_percent_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.kind} · {self.percent}"


class DueDateChange(models.Model):
    action = models.ForeignKey(
        "minutes.ActionItem", on_delete=models.CASCADE, related_name="due_date_changes"
    )
    old_date = models.DateField(_("old due date"), null=True, blank=True)
    new_date = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("due date change")
        verbose_name_plural = _("due date changes")
        ordering = ["action", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.old_date} → {self.new_date}"


class EscalationKind(models.TextChoices):
    """Codes are part of the API contract."""

    COORDINATION = "coordination", _("Needs coordination")
    RESOURCES = "resources", _("Needs resources")
    DECISION = "decision", _("Needs a decision")
    OVERDUE = "overdue", _("Overdue (automatic)")


class EscalationStage(models.TextChoices):
    """Who an escalation went to (ADR 0022). Codes are part of the API contract."""

    HEADS = "heads", _("Department heads")
    LEADERS = "leaders", _("Organisers and leaders")


class EscalationState(models.TextChoices):
    OPEN = "open", pgettext_lazy("escalation", "Waiting for an answer")
    ANSWERED = "answered", pgettext_lazy("escalation", "Answered")


class Escalation(models.Model):
    """A problem reported upwards; `recipients` may answer it (P8.4)."""

    action = models.ForeignKey(
        "minutes.ActionItem", on_delete=models.CASCADE, related_name="escalations"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EscalationKind.choices)
    text = models.TextField(_("problem"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=EscalationState.choices,
        default=EscalationState.OPEN,
        db_index=True,
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="followup_escalations", blank=True
    )
    # For automatic escalations: the due date that was missed, so one due date is escalated once
    # per stage: first to the owner's department heads, later to the organisers and leaders.
    overdue_since = models.DateField(null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=10, choices=EscalationStage.choices, default=EscalationStage.LEADERS
    )
    answer = models.TextField(_("decision or instruction"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["action", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "overdue_since", "stage"],
                condition=Q(kind="overdue"),
                name="followup_one_escalation_per_missed_date_and_stage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.kind} · {self.state}"


class ReviewDecision(models.TextChoices):
    """Codes are part of the API contract."""

    ACCEPTED = "accepted", pgettext_lazy("review", "Accepted")
    RETURNED = "returned", pgettext_lazy("review", "Sent back")


class Review(models.Model):
    """The acceptance or return of an item the owner marked done (P8.2, P8.9)."""

    action = models.ForeignKey(
        "minutes.ActionItem", on_delete=models.CASCADE, related_name="followup_reviews"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    # The completion this review judged (the item's `completed_at` at the time).
    completed_at = models.DateTimeField()
    reason = models.TextField(_("reason"), blank=True)
    quality = models.PositiveSmallIntegerField(_("quality (1–5)"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    practice_note = models.TextField(_("how the results turned into practice"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acceptance review")
        verbose_name_plural = _("acceptance reviews")
        ordering = ["action", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "completed_at"],
                condition=Q(decision="accepted"),
                name="followup_one_acceptance_per_completion",
            ),
            models.CheckConstraint(
                condition=Q(quality__isnull=True) | Q(quality__gte=1, quality__lte=5),
                name="followup_review_quality_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.decision}"

    @property
    def has_problems(self) -> bool:
        """Sent back, or accepted with a low quality or late: something to improve (P9.1)."""
        return (
            self.decision == ReviewDecision.RETURNED
            or (self.quality is not None and self.quality <= 3)
            or self.on_time is False
        )


class Cooperation(models.Model):
    """A department that cooperates on an item besides the owning one (P8.8)."""

    action = models.ForeignKey(
        "minutes.ActionItem", on_delete=models.CASCADE, related_name="cooperations"
    )
    department = models.ForeignKey("people.Department", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cooperating department")
        verbose_name_plural = _("cooperating departments")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "department"], name="followup_cooperation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.department_id}"


class Urge(models.Model):
    """A 催办: someone who follows the item told its owner, at once, to get on with it."""

    action = models.ForeignKey("minutes.ActionItem", on_delete=models.CASCADE, related_name="urges")
    day = models.DateField()
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("urge")
        verbose_name_plural = _("urges")
        ordering = ["action", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "day"], name="one_urge_per_item_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.day}"


def new_feed_token() -> str:
    """An unguessable URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


class TaskFeed(models.Model):
    """A person's task list subscription (iCalendar VTODO, P8.8): the secret in its URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followup_task_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task feed")
        verbose_name_plural = _("task feeds")

    def __str__(self) -> str:
        return str(self.user)


# --- the follow-up rules and proposals to change them (P8.7, ADR 0027) ---------------------


class AcceptedBy(models.TextChoices):
    """Who accepts finished work. Codes are part of the API contract."""

    MANAGERS = "managers", _("The meeting's organisers or the instructing leader")
    LEADER_FIRST = (
        "leader_first",
        _("The instructing leader alone for items from an instruction; organisers for the rest"),
    )
    WITH_HEADS = (
        "with_heads",
        _("The meeting's organisers, the instructing leader or the owner's department head"),
    )


class RuleValues(models.Model):
    """The values of the follow-up rules, shared by a version and a proposal to change them."""

    remind_before_days = models.PositiveSmallIntegerField(
        _("remind the owner this many days before the due date")
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("remind about an overdue item every this many days")
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate to the department heads this many days after the due date")
    )
    escalate_leaders_after_days = models.PositiveSmallIntegerField(
        _("escalate to the organisers and leaders this many days after the due date")
    )
    accepted_by = models.CharField(
        _("who accepts finished work"), max_length=12, choices=AcceptedBy.choices
    )

    class Meta:
        abstract = True


RULE_FIELDS = (
    "remind_before_days",
    "overdue_every_days",
    "escalate_after_days",
    "escalate_leaders_after_days",
    "accepted_by",
)


class FollowupRules(RuleValues):
    """One version of the follow-up rules; the current one is what the jobs and acceptance
    obey. Before any version is adopted the installation's settings are in force (version 0,
    never stored)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    is_current = models.BooleanField(_("current"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    proposal = models.OneToOneField(
        "RulesProposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_version",
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted"))

    class Meta:
        verbose_name = _("follow-up rules version")
        verbose_name_plural = _("follow-up rules versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="followup_one_current_rules",
            ),
            models.CheckConstraint(
                condition=Q(escalate_leaders_after_days__gte=F("escalate_after_days")),
                name="followup_rules_leaders_after_heads",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class ProposalState(models.TextChoices):
    """Codes are part of the API contract."""

    PROPOSED = "proposed", pgettext_lazy("proposal", "Waiting for a decision")
    ADOPTED = "adopted", pgettext_lazy("proposal", "Adopted")
    REJECTED = "rejected", pgettext_lazy("proposal", "Not adopted")


class RulesProposal(RuleValues):
    """A proposed change of the follow-up rules with its reason (P8.7)."""

    reason = models.TextField(_("reason"))
    # The version in force when it was proposed, so the decider sees what it changes.
    base_version = models.PositiveIntegerField(_("proposed against version"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ProposalState.choices,
        default=ProposalState.PROPOSED,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("proposal to change the follow-up rules")
        verbose_name_plural = _("proposals to change the follow-up rules")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pk} · {self.state}"
