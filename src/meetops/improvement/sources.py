"""Where lessons and measures come from (P6.7, P9.1): one registry of source kinds.

A source is a problem another app recorded: a questionnaire comment or a low-rated question,
an evaluation indicator not met, an acceptance review that sent an item back or found
problems, a drill that showed something, a lesson. Each kind loads its object for a user
(404, `NotFound`, for whoever may not read it: the same answer for missing and forbidden),
refuses one that shows no problem (`source_not_a_problem`), and says what to prefill.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.evaluation.indicators import indicators_now
from meetops.evaluation.models import Answer, Question, QuestionKind
from meetops.evaluation.permissions import can_read_results
from meetops.evaluation.selectors import evaluation_of, is_low_average
from meetops.followup.models import Review
from meetops.followup.permissions import can_view_followup
from meetops.improvement import errors
from meetops.improvement.models import Category, Effect, Lesson, Phase, SourceLinked
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_view_meeting
from meetops.people.models import User
from meetops.risks.models import EmergencyDrill

LABEL_LIMIT = 300


@dataclass(frozen=True)
class Source:
    """One loaded source, with what a lesson or measure taken from it starts with."""

    kind: str
    object_id: int
    key: str
    meeting: Meeting | None
    label: str
    url: str
    what_happened: str
    phase: str = Phase.AFTER
    category: str = Category.OTHER
    effect: str = Effect.NEGATIVE

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def fields(self) -> dict[str, Any]:
        """The source link as stored on a lesson or a measure."""
        return {
            "source_kind": self.kind,
            "source_object_id": self.object_id,
            "source_key": self.key,
            "source_label": self.label[:LABEL_LIMIT],
            "source_url": self.url[:300],
        }

    def lesson_initial(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "category": self.category,
            "effect": self.effect,
            "what_happened": self.what_happened,
        }

    def measure_initial(self) -> dict[str, Any]:
        return {"title": self.label[:300], "description": self.what_happened}


@dataclass(frozen=True)
class SourceKind:
    code: str
    label: str | Promise
    load: Callable[[User, int, str], Source]
    # False: a lesson never grows from this kind (a lesson from a lesson is the same lesson).
    for_lessons: bool = True
    keyed: bool = False


KINDS: dict[str, SourceKind] = {}


def register(kind: SourceKind) -> SourceKind:
    """Add a kind of source; a code already taken is refused."""
    if kind.code in KINDS:
        raise ValueError(f"source kind {kind.code!r} is already registered")
    KINDS[kind.code] = kind
    return kind


def load(user: User, kind: str, object_id: int, key: str = "") -> Source:
    """The source for this user; 404 for an unknown kind or an object the user may not read."""
    known = KINDS.get(kind)
    if known is None or not 0 < object_id <= MAX_DB_ID or (bool(key) != known.keyed):
        raise NotFound()
    return known.load(user, object_id, key)


def kind_label(code: str) -> str:
    known = KINDS.get(code)
    return str(known.label) if known else code


def link_of(row: SourceLinked) -> dict[str, Any] | None:
    """The source link of a stored lesson or measure, as pages and the API show it."""
    if not row.source_kind:
        return None
    return {
        "kind": row.source_kind,
        "kind_label": kind_label(row.source_kind),
        "id": row.source_object_id,
        "key": row.source_key,
        "label": row.source_label,
        "url": row.source_url,
    }


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _readable_results(user: User, meeting: Meeting) -> None:
    if not (can_view_meeting(user, meeting) and can_read_results(user, meeting)):
        raise NotFound()


# --- the kinds ---------------------------------------------------------------------


def _survey_answer(user: User, pk: int, key: str) -> Source:
    answer = (
        Answer.objects.select_related("question__survey__meeting")
        .filter(pk=pk, question__kind=QuestionKind.TEXT)
        .first()
    )
    if answer is None:
        raise NotFound()
    meeting = answer.question.survey.meeting
    _readable_results(user, meeting)
    if not answer.text.strip():
        raise errors.source_not_a_problem()
    return Source(
        kind="survey_answer",
        object_id=answer.pk,
        key="",
        meeting=meeting,
        label=_("Questionnaire: %(question)s — “%(answer)s”")
        % {"question": _short(answer.question.text, 60), "answer": _short(answer.text, 160)},
        url=reverse("evaluation:results", args=[meeting.pk]) + f"#answer-{answer.pk}",
        what_happened=answer.text.strip(),
        phase=Phase.RUNNING,
    )


def _survey_question(user: User, pk: int, key: str) -> Source:
    question = (
        Question.objects.select_related("survey__meeting")
        .filter(pk=pk, kind=QuestionKind.RATING)
        .first()
    )
    if question is None:
        raise NotFound()
    meeting = question.survey.meeting
    _readable_results(user, meeting)
    average = question.answers.filter(rating__isnull=False).aggregate(a=Avg("rating"))["a"]
    if not is_low_average(average):
        raise errors.source_not_a_problem()
    label = _("Questionnaire: %(question)s — rated %(average)s of 5 on average") % {
        "question": _short(question.text, 120),
        "average": f"{average:.1f}",
    }
    return Source(
        kind="survey_question",
        object_id=question.pk,
        key="",
        meeting=meeting,
        label=label,
        url=reverse("evaluation:results", args=[meeting.pk]) + f"#question-{question.pk}",
        what_happened=label,
        phase=Phase.RUNNING,
    )


def _evaluation_indicator(user: User, pk: int, key: str) -> Source:
    # The meeting is the object: its indicators are computed live, saved evaluation or not.
    meeting = Meeting.objects.select_related("kind").filter(pk=pk).first()
    if meeting is None:
        raise NotFound()
    _readable_results(user, meeting)
    evaluation = evaluation_of(meeting)
    indicator = next((i for i in indicators_now(meeting, evaluation) if i.code == key), None)
    if indicator is None:
        raise NotFound()
    if indicator.met is not False:
        raise errors.source_not_a_problem()
    label = _("Evaluation: %(indicator)s — expected %(target)s, actual %(actual)s") % {
        "indicator": indicator.label,
        "target": indicator.target_display,
        "actual": indicator.actual_display,
    }
    return Source(
        kind="evaluation_indicator",
        object_id=meeting.pk,
        key=key,
        meeting=meeting,
        label=label,
        url=reverse("evaluation:evaluation", args=[meeting.pk]) + f"#indicator-{key}",
        what_happened=label,
    )


def _followup_review(user: User, pk: int, key: str) -> Source:
    review = Review.objects.select_related("action__meeting").filter(pk=pk).first()
    if review is None or not can_view_followup(user, review.action):
        raise NotFound()
    if not review.has_problems:
        raise errors.source_not_a_problem()
    action = review.action
    problems = [
        str(review.get_decision_display()) if review.decision == "returned" else "",
        _("quality %(n)s/5") % {"n": review.quality} if review.quality else "",
        _("finished late") if review.on_time is False else "",
    ]
    label = _("Acceptance of “%(title)s”: %(problems)s") % {
        "title": _short(action.title, 120),
        "problems": ", ".join(p for p in problems if p),
    }
    return Source(
        kind="followup_review",
        object_id=review.pk,
        key="",
        meeting=action.meeting,
        label=label,
        url=reverse("followup:item", args=[action.pk]) + f"#review-{review.pk}",
        what_happened="\n".join(x for x in (label, review.reason.strip()) if x),
        phase=Phase.FOLLOWUP,
        category=Category.PROCESS,
    )


def _risk_drill(user: User, pk: int, key: str) -> Source:
    drill = EmergencyDrill.objects.select_related("meeting").filter(pk=pk).first()
    if drill is None or not can_view_meeting(user, drill.meeting):
        raise NotFound()
    if not drill.has_findings:
        raise errors.source_not_a_problem()
    label = _("Drill: %(scenario)s on %(day)s — %(outcome)s") % {
        "scenario": drill.get_scenario_display(),
        "day": f"{drill.held_at:%Y-%m-%d}",
        "outcome": drill.get_outcome_display(),
    }
    texts = (drill.findings.strip(), drill.improvements.strip())
    return Source(
        kind="risk_drill",
        object_id=drill.pk,
        key="",
        meeting=drill.meeting,
        label=label,
        url=reverse("risk_drills", args=[drill.meeting_id]) + f"#drill-{drill.pk}",
        what_happened="\n".join(x for x in texts if x) or label,
        phase=Phase.PREPARATION,
        category=Category.PROCESS,
    )


def lesson_source(lesson: Lesson) -> Source:
    """A lesson as the source of a measure; the caller has authorised the lesson."""
    url = (
        reverse("meeting_lessons", args=[lesson.meeting_id])
        if lesson.meeting_id
        else reverse("lessons")
    )
    return Source(
        kind="lesson",
        object_id=lesson.pk,
        key="",
        meeting=lesson.meeting,
        label=_("Lesson: %(text)s") % {"text": _short(lesson.what_happened, 200)},
        url=f"{url}#lesson-{lesson.pk}",
        what_happened=lesson.cause or lesson.what_happened,
        phase=lesson.phase,
        category=lesson.category,
        effect=lesson.effect,
    )


def _lesson(user: User, pk: int, key: str) -> Source:
    lesson = Lesson.objects.select_related("meeting").filter(pk=pk).first()
    if lesson is None or (
        lesson.meeting is not None and not can_view_meeting(user, lesson.meeting)
    ):
        raise NotFound()
    return lesson_source(lesson)


register(SourceKind("survey_answer", gettext_lazy("Questionnaire answer"), _survey_answer))
register(SourceKind("survey_question", gettext_lazy("Questionnaire rating"), _survey_question))
register(
    SourceKind(
        "evaluation_indicator",
        gettext_lazy("Evaluation result"),
        _evaluation_indicator,
        keyed=True,
    )
)
register(SourceKind("followup_review", gettext_lazy("Follow-up acceptance"), _followup_review))
register(SourceKind("risk_drill", gettext_lazy("Emergency drill"), _risk_drill))
register(SourceKind("lesson", gettext_lazy("Lesson"), _lesson, for_lessons=False))
