"""The questionnaire's lifecycle: create from the default template, edit, open, remind, close, sort comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.evaluation import notify
from meetops.evaluation.defaults import template_for
from meetops.evaluation.models import (
    Answer,
    Category,
    Question,
    QuestionKind,
    Respondent,
    Survey,
    SurveyState,
)
from meetops.evaluation.permissions import can_manage_feedback
from meetops.meetings.models import Meeting, Participant, ParticipantStatus
from meetops.people.models import User

MAX_QUESTIONS = 40
MAX_CHOICES = 20
SURVEY_FIELDS = ["title", "intro", "anonymous", "closes_at"]


def _guard(actor: User, meeting: Meeting) -> None:
    if not can_manage_feedback(actor, meeting):
        raise PermissionDenied()


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("meeting").get(pk=survey.pk)


def _refuse_if_answered(survey: Survey) -> None:
    if survey.state == SurveyState.CLOSED:
        raise DomainError(_("The questionnaire is closed."), "survey_closed")
    if survey.responses.exists():
        raise DomainError(
            _("Answers have arrived: the questions can no longer change."), "survey_has_answers"
        )


def _clean_questions(questions: list[dict[str, Any]]) -> list[Question]:
    if not questions:
        raise ValidationFailed(_("A questionnaire needs at least one question."), "no_questions")
    if len(questions) > MAX_QUESTIONS:
        raise ValidationFailed(
            _("At most %(n)s questions.") % {"n": MAX_QUESTIONS}, "too_many_questions"
        )
    cleaned = []
    for index, q in enumerate(questions):
        kind = q.get("kind")
        text = str(q.get("text") or "").strip()
        if kind not in QuestionKind.values:
            raise ValidationFailed(_("Unknown question kind."), "invalid_kind", index=index)
        if not text:
            raise ValidationFailed(_("Every question needs a text."), "question_text", index=index)
        choices = [str(c).strip() for c in q.get("choices") or [] if str(c).strip()]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(choices) < 2 or len(set(choices)) != len(choices) or len(choices) > MAX_CHOICES:
                raise ValidationFailed(
                    _("A choice question needs two or more different choices."),
                    "question_choices",
                    index=index,
                )
        else:
            choices = []
        cleaned.append(
            Question(
                order=index,
                kind=kind,
                text=text[:500],
                choices=choices,
                required=bool(q.get("required")),
                satisfaction=kind == QuestionKind.RATING and bool(q.get("satisfaction", True)),
            )
        )
    return cleaned


def create_survey(meeting: Meeting, *, actor: User, language: str) -> Survey:
    """Start the meeting's questionnaire from the default template in `language`. One per meeting."""
    _guard(actor, meeting)
    template = template_for(language)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if Survey.objects.filter(meeting=meeting).exists():
            raise DomainError(_("This meeting already has a questionnaire."), "survey_exists")
        survey = Survey.objects.create(
            meeting=meeting,
            title=template["title"],
            intro=template["intro"],
            language=template["language"],
            created_by=actor,
        )
        questions = _clean_questions(template["questions"])
        for q in questions:
            q.survey = survey
        Question.objects.bulk_create(questions)
        audit.record(
            "evaluation.survey.created",
            meeting,
            actor=actor,
            data={"survey": survey.pk, "language": survey.language, "questions": len(questions)},
        )
    return survey


def update_survey(
    survey: Survey,
    *,
    actor: User,
    title: str,
    intro: str = "",
    anonymous: bool = False,
    closes_at: datetime | None = None,
) -> Survey:
    """Title, introduction, closing date; anonymity only until the first answer."""
    _guard(actor, survey.meeting)
    title = title.strip()
    if not title:
        raise ValidationFailed(_("The questionnaire needs a title."), "title_required")
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationFailed(_("The closing date must be in the future."), "closes_in_past")
    with transaction.atomic():
        survey = _lock(survey)
        if survey.state == SurveyState.CLOSED:
            raise DomainError(_("The questionnaire is closed."), "survey_closed")
        if anonymous != survey.anonymous and survey.responses.exists():
            raise DomainError(
                _("Answers have arrived: anonymity can no longer change."), "survey_has_answers"
            )
        before = audit.snapshot(survey, SURVEY_FIELDS)
        survey.title, survey.intro = title[:300], intro.strip()
        survey.anonymous, survey.closes_at = anonymous, closes_at
        survey.save(update_fields=SURVEY_FIELDS)
        changes = audit.diff(before, audit.snapshot(survey, SURVEY_FIELDS))
        if changes:
            audit.record("evaluation.survey.updated", survey.meeting, actor=actor, changes=changes)
    return survey


def save_questions(survey: Survey, *, actor: User, questions: list[dict[str, Any]]) -> Survey:
    """Replace the questions. Refused once the first answer has arrived (`survey_has_answers`)."""
    _guard(actor, survey.meeting)
    cleaned = _clean_questions(questions)
    with transaction.atomic():
        survey = _lock(survey)
        _refuse_if_answered(survey)
        survey.questions.all().delete()
        for q in cleaned:
            q.survey = survey
        Question.objects.bulk_create(cleaned)
        audit.record(
            "evaluation.survey.questions_saved",
            survey.meeting,
            actor=actor,
            data={"survey": survey.pk, "questions": [q.text for q in cleaned]},
        )
    return survey


def _respondent_for(survey: Survey, participant: Participant) -> Respondent:
    return Respondent(
        survey=survey,
        participant=participant,
        user_id=participant.user_id,
        name=participant.display_name[:150],
        email=participant.email,
        organisation=participant.organisation,
        external=participant.user_id is None,
    )


def _add_respondents(survey: Survey) -> list[Respondent]:
    """Everyone active on the meeting not yet asked (users, external contacts, guests)."""
    asked = set(
        survey.respondents.filter(participant__isnull=False).values_list(
            "participant_id", flat=True
        )
    )
    seen_users: set[int] = set(
        survey.respondents.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    new = []
    people = Participant.objects.filter(
        meeting=survey.meeting, status=ParticipantStatus.ACTIVE
    ).select_related("user", "contact")
    for participant in people.order_by("id"):
        if participant.pk in asked or (participant.user_id and participant.user_id in seen_users):
            continue  # one person in two roles answers once
        if participant.user_id:
            seen_users.add(participant.user_id)
        new.append(_respondent_for(survey, participant))
    Respondent.objects.bulk_create(new)
    return list(survey.respondents.filter(pk__in=[r.pk for r in new]).select_related("user"))


def open_survey(survey: Survey, *, actor: User, closes_at: datetime | None = None) -> Survey:
    """Open for answers once the meeting has started; every person on it gets their personal link.

    Preconditions: a draft questionnaire, a meeting that has begun, a closing date in the future.
    """
    _guard(actor, survey.meeting)
    now = timezone.now()
    if survey.meeting.start > now:
        raise DomainError(
            _("Feedback is collected once the meeting has started."), "meeting_not_started"
        )
    if closes_at is not None and closes_at <= now:
        raise ValidationFailed(_("The closing date must be in the future."), "closes_in_past")
    with transaction.atomic():
        survey = _lock(survey)
        if survey.state != SurveyState.DRAFT:
            raise DomainError(_("The questionnaire is already open or closed."), "survey_not_draft")
        if not survey.questions.exists():
            raise ValidationFailed(
                _("A questionnaire needs at least one question."), "no_questions"
            )
        survey.state, survey.opened_at = SurveyState.OPEN, now
        if closes_at is not None:
            survey.closes_at = closes_at
        survey.save(update_fields=["state", "opened_at", "closes_at"])
        respondents = _add_respondents(survey)
        sent = sum(notify.ask(r, survey=survey) for r in respondents)
        Respondent.objects.filter(pk__in=[r.pk for r in respondents]).update(invited_at=now)
        audit.record(
            "evaluation.survey.opened",
            survey.meeting,
            actor=actor,
            data={"survey": survey.pk, "respondents": len(respondents), "messages": sent},
        )
    return survey


def remind(survey: Survey, *, actor: User | None) -> int:
    """Send the link again to those who have not answered (once a day at most). Returns how many."""
    if actor is not None:
        _guard(actor, survey.meeting)
    now = timezone.now()
    day = timezone.localdate().isoformat()
    with transaction.atomic():
        survey = _lock(survey)
        if survey.state != SurveyState.OPEN:
            raise DomainError(_("The questionnaire is not open."), "survey_not_open")
        _add_respondents(survey)
        start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        waiting = list(
            survey.respondents.filter(answered=False)
            .exclude(reminded_at__gte=start_of_day)
            .select_related("user")
        )
        reminded = [r for r in waiting if notify.ask(r, survey=survey, reminder=True, day=day)]
        # Those without an address count as handled too, so the job does not come back hourly.
        Respondent.objects.filter(pk__in=[r.pk for r in waiting]).update(reminded_at=now)
        audit.record(
            "evaluation.survey.reminded",
            survey.meeting,
            actor=actor,
            data={"survey": survey.pk, "reminded": len(reminded)},
        )
    return len(reminded)


def close_survey(survey: Survey, *, actor: User | None) -> Survey:
    """Stop accepting answers. `actor=None`: the closing date passed (the periodic job)."""
    if actor is not None:
        _guard(actor, survey.meeting)
    with transaction.atomic():
        survey = _lock(survey)
        if survey.state != SurveyState.OPEN:
            raise DomainError(_("The questionnaire is not open."), "survey_not_open")
        survey.state, survey.closed_at = SurveyState.CLOSED, timezone.now()
        survey.save(update_fields=["state", "closed_at"])
        audit.record(
            "evaluation.survey.closed",
            survey.meeting,
            actor=actor,
            data={"survey": survey.pk, "answer_count": survey.responses.count()},
        )
    return survey


def categorise(answer: Answer, *, actor: User, category: str) -> Answer:
    """File a free-text comment as positive, suggestion or problem (P6.6)."""
    meeting = answer.question.survey.meeting
    _guard(actor, meeting)
    if category not in Category.values:
        raise ValidationFailed(_("Unknown category."), "invalid_category")
    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        if answer.category != category:
            before = answer.category
            answer.category = category
            answer.save(update_fields=["category"])
            audit.record(
                "evaluation.comment.categorised",
                meeting,
                actor=actor,
                changes={"category": [before, category]},
                data={"answer": answer.pk},
            )
    return answer
