"""Reads: the survey, its results (P6.3, P6.4, P6.6) and the loaders that authorise.

Every figure is computed from the rows; a page's query count does not grow with its answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from meetops.core.errors import NotFound, PermissionDenied
from meetops.evaluation.models import (
    Answer,
    Category,
    Evaluation,
    Question,
    QuestionKind,
    Respondent,
    Survey,
)
from meetops.evaluation.permissions import can_manage_feedback, can_read_results
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user, managed_by, meetings_visible_to
from meetops.people.models import Role, User


def results_readable_among(user: User, meeting_ids: Iterable[int]) -> set[int]:
    """The meetings of `meeting_ids` whose results the user may read: `can_read_results` for
    many meetings in one query (pages of other apps that link to results)."""
    ids = set(meeting_ids)
    if not ids or not user.is_authenticated:
        return set()
    if user.has_role(Role.LEADER, Role.ADMIN):
        qs = meetings_visible_to(user).filter(pk__in=ids)
    else:
        qs = Meeting.objects.filter(managed_by(user), pk__in=ids)
    return set(qs.values_list("pk", flat=True))


def get_meeting_for_results(user: User, pk: int) -> Meeting:
    """404 for those who may not see the meeting, 403 for those who may see it but not its results."""
    meeting = get_meeting_for_user(user, pk)
    if not can_read_results(user, meeting):
        raise PermissionDenied()
    return meeting


def get_meeting_to_manage(user: User, pk: int) -> Meeting:
    meeting = get_meeting_for_user(user, pk)
    if not can_manage_feedback(user, meeting):
        raise PermissionDenied()
    return meeting


def survey_of(meeting: Meeting) -> Survey | None:
    return Survey.objects.filter(meeting=meeting).first()


def get_survey(meeting: Meeting) -> Survey:
    survey = survey_of(meeting)
    if survey is None:
        raise NotFound(code="no_survey")
    return survey


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("order", "id"))


def respondents_of(survey: Survey) -> QuerySet[Respondent]:
    return survey.respondents.select_related("user").order_by("name", "id")


def get_respondent_by_token(token: str) -> Respondent:
    """The person behind a personal link. Unknown links are 404."""
    respondent = (
        Respondent.objects.select_related("survey", "survey__meeting", "user")
        .filter(token=token)
        .first()
        if token and len(token) <= 64
        else None
    )
    if respondent is None:
        raise NotFound()
    return respondent


def has_answers(survey: Survey) -> bool:
    return survey.responses.exists()


# A rating question averaging below this is a problem worth a lesson (P6.7).
LOW_AVERAGE = Decimal("3.5")


def is_low_average(average: Decimal | float | None) -> bool:
    return average is not None and Decimal(str(average)) < LOW_AVERAGE


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class Comment:
    answer_id: int
    text: str
    category: str
    name: str  # empty in anonymous surveys


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    average: Decimal | None = None
    bars: list[Bar] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def low(self) -> bool:
        return is_low_average(self.average)


@dataclass
class Results:
    survey: Survey
    invited: int
    answered: int
    external_invited: int
    external_answered: int
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited else None

    @property
    def satisfaction(self) -> Decimal | None:
        """Mean of every rating given to the questions that count towards satisfaction."""
        total = count = 0
        for result in self.questions:
            if result.question.kind == QuestionKind.RATING and result.question.satisfaction:
                total += sum(int(b.label) * b.count for b in result.bars)
                count += result.answered
        return _one_decimal(total / count) if count else None

    def comments_by_category(self) -> dict[str, list[Comment]]:
        grouped: dict[str, list[Comment]] = {c.value: [] for c in Category}
        for result in self.questions:
            for comment in result.comments:
                grouped[comment.category].append(comment)
        return grouped


def _one_decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def results_of(survey: Survey) -> Results:
    """Counts, distributions, averages and comments, in three queries."""
    questions = questions_of(survey)
    counts = survey.respondents.aggregate(
        n_invited=Count("id"),
        n_answered=Count("id", filter=Q(answered=True)),
        n_external_invited=Count("id", filter=Q(external=True)),
        n_external_answered=Count("id", filter=Q(external=True, answered=True)),
    )
    by_question: dict[int, list[Answer]] = {q.pk: [] for q in questions}
    answers = (
        Answer.objects.filter(response__survey=survey)
        .select_related("response__respondent")
        .order_by("response_id", "id")
    )
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    results = [_question_result(q, by_question[q.pk], survey.anonymous) for q in questions]
    return Results(survey=survey, questions=results, **{k[2:]: v for k, v in counts.items()})


def _question_result(question: Question, answers: list[Answer], anonymous: bool) -> QuestionResult:
    result = QuestionResult(question=question)
    if question.kind == QuestionKind.RATING:
        ratings = [a.rating for a in answers if a.rating]
        tally = Counter(ratings)
        result.answered = len(ratings)
        result.bars = [
            Bar(str(n), tally[n], _percent(tally[n], len(ratings))) for n in range(5, 0, -1)
        ]
        result.average = _one_decimal(sum(ratings) / len(ratings)) if ratings else None
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        picked = [a for a in answers if a.choices]
        tally = Counter(c for a in picked for c in a.choices)
        result.answered = len(picked)
        result.bars = [
            Bar(str(c), tally[c], _percent(tally[c], len(picked))) for c in question.choices
        ]
    else:
        written = [a for a in answers if a.text.strip()]
        result.answered = len(written)
        result.comments = [
            Comment(
                answer_id=a.pk,
                text=a.text,
                category=a.category,
                name=""
                if anonymous or a.response.respondent is None
                else a.response.respondent.name,
            )
            for a in written
        ]
    return result


def evaluation_of(meeting: Meeting) -> Evaluation:
    """The saved evaluation, or an unsaved one with the defaults from the meeting's plan (P6.1)."""
    evaluation = Evaluation.objects.filter(meeting=meeting).select_related("done_by").first()
    if evaluation is None:
        evaluation = Evaluation(meeting=meeting, target_reach=meeting.expected_attendance)
    return evaluation
