"""Feedback questionnaires (P4.3, P6.2, P6.3, P9.9) and the meeting's evaluation (P4.10, P6.1, P6.5, P4.8).

A survey belongs to one meeting. Each person on the meeting (account holder,
external contact or guest) is a `Respondent` with an unguessable personal token;
the answer they send is one `Response` with one `Answer` per question.

Anonymous surveys keep the two apart: the respondent row only says *that* the
person answered (a flag, no time), the response has no link to the person and
its time is kept to the day, so nobody (admins included) can tell who answered what.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.invitations.models import new_token


class SurveyState(models.TextChoices):
    """The codes are part of the API contract."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", pgettext_lazy("survey", "Closed")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class Category(models.TextChoices):
    """How the organiser files a comment (P6.6)."""

    NONE = "", _("Not sorted")
    POSITIVE = "positive", _("Positive")
    SUGGESTION = "suggestion", _("Suggestion")
    PROBLEM = "problem", _("Problem")


class Survey(models.Model):
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="survey"
    )
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    anonymous = models.BooleanField(_("anonymous answers"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=SurveyState.choices, default=SurveyState.DRAFT
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(
        pgettext_lazy("question", "kind"), max_length=8, choices=QuestionKind.choices
    )
    text = models.CharField(pgettext_lazy("survey", "question"), max_length=500)
    choices = models.JSONField(pgettext_lazy("question", "choices"), default=list, blank=True)
    required = models.BooleanField(pgettext_lazy("question", "required"), default=False)
    # Rating questions that measure satisfaction feed the satisfaction indicator (P6.1).
    satisfaction = models.BooleanField(_("counts towards satisfaction"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("survey", "question")
        verbose_name_plural = pgettext_lazy("survey", "questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Respondent(models.Model):
    """A person asked to answer: their personal link, whether they answered, when reminded."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    participant = models.ForeignKey(
        "meetings.Participant", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    external = models.BooleanField(_("external"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    answered = models.BooleanField(pgettext_lazy("survey", "answered"), default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant"],
                condition=Q(participant__isnull=False),
                name="one_respondent_per_participant",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    """One person's answers. `respondent` is empty in anonymous surveys, and `submitted_on` is only a day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.OneToOneField(
        Respondent, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, blank=True, default=""
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="answer_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.question_id}"


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("In progress")
    DONE = "done", _("Done")


class Evaluation(models.Model):
    """The meeting's targets (P6.1), the organiser's conclusion and lessons (P4.10, P4.8)."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="evaluation"
    )
    target_attendance = models.PositiveSmallIntegerField(
        _("attendance rate target (%)"), default=90, validators=[MaxValueValidator(100)]
    )
    target_satisfaction = models.DecimalField(
        _("average satisfaction target (1–5)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    target_response_rate = models.PositiveSmallIntegerField(
        _("survey response rate target (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    target_reach = models.PositiveIntegerField(_("people reached target"), null=True, blank=True)
    target_departments = models.PositiveIntegerField(
        _("departments or organisations reached target"), null=True, blank=True
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=EvaluationState.choices, default=EvaluationState.DRAFT
    )
    # The figures as they were when the evaluation was marked done.
    snapshot = models.JSONField(default=dict, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    results_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return str(self.meeting_id)
