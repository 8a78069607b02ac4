"""Training of the people who run meetings (P9.4).

- `TrainingNeed`: a training a duty needs (organiser, recorder, sign-in desk, security), with
  the months after which it must be refreshed; admin-editable, defaults seeded by migration.
- `Course`: a course that meets one or more needs, with its `CourseMaterial` files.
- `TrainingSession`: a meeting of the kind "training" held as a course; a sign-in there is a
  training record (no copy is kept: the sign-in is the record).
- `ExternalTraining`: training taken elsewhere, entered by the person or an administrator
  with its certificate; it counts once an administrator verified it.
- `TrainingReminder`: one reminder per person, need and due period, so the daily job tells a
  person once per period, never every day (the unique constraint is the rule).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import TranslatedName


class Duty(models.TextChoices):
    """What a person does for meetings that a training need is for. Codes are API contract."""

    ORGANISER = "organiser", _("Organiser or host")
    RECORDER = "recorder", _("Recorder (minute-taker)")
    DESK = "desk", _("Sign-in desk and meeting staff")
    SECURITY = "security", _("Security staff")


class TrainingNeed(TranslatedName):
    duty = models.CharField(_("duty"), max_length=12, choices=Duty.choices)
    description = models.TextField(_("description"), blank=True)
    # None: trained once is enough.
    refresher_months = models.PositiveSmallIntegerField(
        _("refresher after (months)"), null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refresher_months__isnull=True)
                | Q(refresher_months__gte=1, refresher_months__lte=120),
                name="training_need_refresher_range",
            )
        ]


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    needs = models.ManyToManyField(
        TrainingNeed, verbose_name=_("needs it meets"), related_name="courses", blank=True
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-active", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class CourseMaterial(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="training/materials/%Y/%m/", max_length=300)
    media_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        ordering = ["course", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    """A training meeting held as a course: its sign-ins meet the course's needs."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="training_session"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.course} · {self.meeting_id}"


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Not accepted")


class ExternalTraining(models.Model):
    """Training taken outside MeetOps, with its certificate; counts once verified."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="external_trainings",
    )
    title = models.CharField(_("training"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    needs = models.ManyToManyField(
        TrainingNeed, verbose_name=_("needs it meets"), related_name="external_records"
    )
    certificate = models.FileField(
        _("certificate"), upload_to="training/certificates/%Y/%m/", blank=True, max_length=300
    )
    certificate_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("external training")
        verbose_name_plural = _("external trainings")
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=1000), name="external_training_hours"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.issuer}"


class TrainingReminder(models.Model):
    """A person told that a need is untrained or due, for the period starting `period`."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(TrainingNeed, on_delete=models.CASCADE, related_name="reminders")
    # The expiry date of the training due a refresher, or the day an untrained person was
    # first told (the next period starts a refresher interval later).
    period = models.DateField()
    untrained = models.BooleanField(default=False)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "need", "period"], name="training_reminder_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.need_id} · {self.period}"
