"""Answering through a personal link (no login). One answer per person; a second one is refused.

Why refuse rather than edit: in an anonymous survey the answer cannot be found again
from the person, so "edit" could not work there; one rule for both kinds is clearer.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, ValidationFailed
from meetops.evaluation.models import (
    Answer,
    Question,
    QuestionKind,
    Respondent,
    Response,
    Survey,
    SurveyState,
)

MAX_TEXT = 5000


def accepting(survey: Survey) -> bool:
    """Open, and its closing date (if any) not yet passed."""
    return survey.state == SurveyState.OPEN and (
        survey.closes_at is None or survey.closes_at > timezone.now()
    )


def _answer_for(question: Question, value: Any) -> Answer | None:
    """The answer to store, None when left empty; refuses what does not fit the question."""
    empty = value in (None, "", [])
    if empty:
        if question.required:
            raise ValidationFailed(
                _("Please answer: %(q)s") % {"q": question.text},
                "answer_required",
                question=question.pk,
            )
        return None
    if question.kind == QuestionKind.RATING:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise ValidationFailed(
                _("A rating is a whole number from 1 to 5."), "invalid_rating", question=question.pk
            )
        return Answer(question=question, rating=rating)
    if question.kind == QuestionKind.TEXT:
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValidationFailed(
                _("At most %(n)s characters.") % {"n": MAX_TEXT},
                "text_too_long",
                question=question.pk,
            )
        return Answer(question=question, text=text) if text else None
    picked = [str(v) for v in (value if isinstance(value, list) else [value])]
    if question.kind == QuestionKind.SINGLE and len(picked) != 1:
        raise ValidationFailed(_("Pick one choice."), "invalid_choice", question=question.pk)
    if len(set(picked)) != len(picked) or not set(picked) <= set(question.choices):
        raise ValidationFailed(
            _("That is not one of the choices."), "invalid_choice", question=question.pk
        )
    return Answer(question=question, choices=[c for c in question.choices if c in picked])


def submit_response(respondent: Respondent, *, answers: dict[int, Any]) -> Response:
    """Record the person's answers. Raises `survey_closed`, `already_answered`, or a validation error.

    `answers` maps question ids to a rating (1–5), a choice, a list of choices, or text.
    The respondent's row is locked, so two submits at once give one answer and one refusal.
    """
    survey = respondent.survey
    if not accepting(survey):
        raise DomainError(
            _("This questionnaire is closed and no longer takes answers."), "survey_closed"
        )
    questions = list(survey.questions.order_by("order", "id"))
    known = {q.pk for q in questions}
    if any(key not in known for key in answers):
        raise ValidationFailed(_("Unknown question."), "unknown_question")
    rows = [a for q in questions if (a := _answer_for(q, answers.get(q.pk))) is not None]
    with transaction.atomic():
        locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
        if locked.answered:
            raise DomainError(_("You have already answered. Thank you!"), "already_answered")
        survey = Survey.objects.get(pk=survey.pk)  # the state as it is now, under the lock
        if not accepting(survey):
            raise DomainError(
                _("This questionnaire is closed and no longer takes answers."), "survey_closed"
            )
        response = Response.objects.create(
            survey=survey,
            respondent=None if survey.anonymous else locked,
            submitted_on=timezone.localdate(),
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        locked.answered = True
        locked.save(update_fields=["answered"])
        if survey.anonymous:
            # Nothing that ties the answer to the person: no respondent, no client address.
            with audit.audit_context(audit.current_context().source, ip_address=None):
                audit.record(
                    "evaluation.response.submitted",
                    survey,
                    actor=None,
                    data={"anonymous": True},
                )
        else:
            audit.record(
                "evaluation.response.submitted",
                survey,
                actor=locked.user,
                data={"respondent": locked.pk, "answer_count": len(rows)},
            )
    respondent.answered = True
    return response
