"""Questionnaire, answers and evaluation API. Full paths; mounted at "/".

/meetings/{id}/survey (+ /questions, /open, /remind, /close, /results),
/meetings/{id}/evaluation (+ /complete, /send), and /feedback/{token} without login.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from meetops.core.schemas import ApiDatetime, DbId, Input
from meetops.core.web import AuthedRequest
from meetops.evaluation import selectors, services
from meetops.evaluation.indicators import indicators_now, outcomes_of
from meetops.evaluation.models import Evaluation, Respondent, Survey

router = Router(tags=["evaluation"])
feedback_router = Router(tags=["evaluation"], auth=None)

KindCode = Literal["rating", "single", "multiple", "text"]


class SurveyQuestionOut(Schema):
    id: int
    order: int
    kind: str
    text: str
    choices: list[str]
    required: bool
    satisfaction: bool


class SurveyOut(Schema):
    id: int
    meeting_id: DbId
    title: str
    intro: str
    anonymous: bool
    language: str
    state: str = Field(..., description="draft, open or closed")
    closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    invited: int
    answered: int
    questions: list[SurveyQuestionOut]


class SurveyIn(Input):
    language: Literal["zh-hans", "zh-hant", "en", ""] = ""


class SurveyPatch(Input):
    title: str = Field(..., min_length=1, max_length=300)
    intro: str = Field("", max_length=5000)
    anonymous: bool = False
    closes_at: ApiDatetime | None = None


class SurveyQuestionIn(Input):
    kind: KindCode
    text: str = Field(..., max_length=500)
    choices: list[str] = Field(default_factory=list, max_length=20)
    required: bool = False
    satisfaction: bool = True


class OpenIn(Input):
    closes_at: ApiDatetime | None = None


class CountOut(Schema):
    count: int


class BarOut(Schema):
    label: str
    count: int
    percent: int


class CommentOut(Schema):
    answer_id: DbId
    text: str
    category: str
    name: str = Field(..., description="empty in anonymous questionnaires")


class QuestionResultOut(Schema):
    question_id: DbId
    text: str
    kind: str
    answered: int
    average: Decimal | None
    bars: list[BarOut]
    comments: list[CommentOut]


class ResultsOut(Schema):
    invited: int
    answered: int
    response_rate: int | None
    satisfaction: Decimal | None
    external_invited: int
    external_answered: int
    questions: list[QuestionResultOut]


class FeedbackOut(Schema):
    meeting_title: str
    meeting_start: datetime
    title: str
    intro: str
    anonymous: bool
    accepting: bool
    answered: bool
    closes_at: datetime | None
    questions: list[SurveyQuestionOut]


class AnswerIn(Input):
    question_id: DbId
    value: int | str | list[str] | None = None


class FeedbackIn(Input):
    answers: list[AnswerIn] = Field(..., max_length=40)


class IndicatorOut(Schema):
    code: str
    label: str
    target: str | None
    actual: str | None
    unit: str
    met: bool | None
    note: str


class EvaluationOut(Schema):
    meeting_id: DbId
    state: str = Field(..., description="draft or done")
    target_attendance: int
    target_satisfaction: Decimal
    target_response_rate: int
    target_reach: int | None
    target_departments: int | None
    conclusion: str
    lessons: str
    done_at: datetime | None
    results_sent_at: datetime | None
    indicators: list[IndicatorOut]
    decisions: int
    actions: int
    actions_done: int


class EvaluationPatch(Input):
    target_attendance: int | None = Field(None, ge=0, le=100)
    target_satisfaction: Decimal | None = Field(None, ge=1, le=5, decimal_places=1)
    target_response_rate: int | None = Field(None, ge=0, le=100)
    target_reach: int | None = Field(None, ge=0, le=10**7)
    target_departments: int | None = Field(None, ge=0, le=10**5)
    conclusion: str | None = Field(None, max_length=20000)
    lessons: str | None = Field(None, max_length=20000)


class SendIn(Input):
    audiences: list[Literal["participants", "leaders"]] = Field(..., min_length=1)


def _survey_out(survey: Survey) -> dict[str, Any]:
    counts = selectors.results_of(survey)
    return {
        **{f: getattr(survey, f) for f in ("id", "meeting_id", "title", "intro", "anonymous")},
        **{f: getattr(survey, f) for f in ("language", "state", "closes_at", "opened_at")},
        "closed_at": survey.closed_at,
        "invited": counts.invited,
        "answered": counts.answered,
        "questions": selectors.questions_of(survey),
    }


@router.get("/meetings/{meeting_id}/survey", response=SurveyOut, summary="The questionnaire")
def read_survey(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_results(request.user, meeting_id)
    return _survey_out(selectors.get_survey(meeting))


@router.post(
    "/meetings/{meeting_id}/survey",
    response={201: SurveyOut},
    summary="Create the questionnaire from the default template",
)
def create_survey(request: AuthedRequest, meeting_id: int, payload: SurveyIn) -> Status:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    language = payload.language or request.user.language or get_language() or ""
    survey = services.create_survey(meeting, actor=request.user, language=language)
    return Status(201, _survey_out(survey))


@router.patch("/meetings/{meeting_id}/survey", response=SurveyOut, summary="Change the settings")
def update_survey(request: AuthedRequest, meeting_id: int, payload: SurveyPatch) -> dict[str, Any]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    survey = services.update_survey(
        selectors.get_survey(meeting), actor=request.user, **payload.dict()
    )
    return _survey_out(survey)


@router.put(
    "/meetings/{meeting_id}/survey/questions",
    response=SurveyOut,
    summary="Replace the questions (until the first answer)",
)
def save_questions(
    request: AuthedRequest, meeting_id: int, payload: list[SurveyQuestionIn]
) -> dict[str, Any]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    survey = services.save_questions(
        selectors.get_survey(meeting), actor=request.user, questions=[q.dict() for q in payload]
    )
    return _survey_out(survey)


@router.post(
    "/meetings/{meeting_id}/survey/open",
    response=SurveyOut,
    summary="Open it; each person gets their personal link",
)
def open_survey(request: AuthedRequest, meeting_id: int, payload: OpenIn) -> dict[str, Any]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    survey = services.open_survey(
        selectors.get_survey(meeting), actor=request.user, closes_at=payload.closes_at
    )
    return _survey_out(survey)


@router.post(
    "/meetings/{meeting_id}/survey/remind",
    response=CountOut,
    summary="Remind those who have not answered",
)
def remind(request: AuthedRequest, meeting_id: int) -> dict[str, int]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    return {"count": services.remind(selectors.get_survey(meeting), actor=request.user)}


@router.post("/meetings/{meeting_id}/survey/close", response=SurveyOut, summary="Stop answers")
def close_survey(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    return _survey_out(services.close_survey(selectors.get_survey(meeting), actor=request.user))


@router.get(
    "/meetings/{meeting_id}/survey/results",
    response=ResultsOut,
    summary="Response rate, distributions, averages and comments",
)
def results(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_results(request.user, meeting_id)
    data = selectors.results_of(selectors.get_survey(meeting))
    return {
        "invited": data.invited,
        "answered": data.answered,
        "response_rate": data.response_rate,
        "satisfaction": data.satisfaction,
        "external_invited": data.external_invited,
        "external_answered": data.external_answered,
        "questions": [
            {
                "question_id": r.question.pk,
                "text": r.question.text,
                "kind": r.question.kind,
                "answered": r.answered,
                "average": r.average,
                "bars": r.bars,
                "comments": r.comments,
            }
            for r in data.questions
        ],
    }


def _feedback_out(respondent: Respondent) -> dict[str, Any]:
    survey = respondent.survey
    return {
        "meeting_title": survey.meeting.title,
        "meeting_start": survey.meeting.start,
        "title": survey.title,
        "intro": survey.intro,
        "anonymous": survey.anonymous,
        "accepting": services.accepting(survey),
        "answered": respondent.answered,
        "closes_at": survey.closes_at,
        "questions": selectors.questions_of(survey),
    }


@feedback_router.get("/{token}", response=FeedbackOut, summary="The questionnaire (no login)")
def read_feedback(request: HttpRequest, token: str) -> dict[str, Any]:
    return _feedback_out(selectors.get_respondent_by_token(token))


@feedback_router.post("/{token}", response={201: FeedbackOut}, summary="Answer once (no login)")
def answer_feedback(request: HttpRequest, token: str, payload: FeedbackIn) -> Status:
    respondent = selectors.get_respondent_by_token(token)
    services.submit_response(respondent, answers={a.question_id: a.value for a in payload.answers})
    return Status(201, _feedback_out(respondent))


def _evaluation_out(evaluation: Evaluation) -> dict[str, Any]:
    meeting = evaluation.meeting
    indicators = indicators_now(meeting, evaluation)
    outcomes = outcomes_of(meeting)
    fields = ["state", "target_attendance", "target_satisfaction", "target_response_rate"]
    fields += ["target_reach", "target_departments", "conclusion", "lessons", "done_at"]
    return {
        "meeting_id": meeting.pk,
        **{f: getattr(evaluation, f) for f in fields},
        "results_sent_at": evaluation.results_sent_at,
        "indicators": [i.as_dict() for i in indicators],
        "decisions": outcomes.decisions,
        "actions": outcomes.actions,
        "actions_done": outcomes.actions_done,
    }


@router.get(
    "/meetings/{meeting_id}/evaluation",
    response=EvaluationOut,
    summary="Actual against expected, with the conclusion",
)
def read_evaluation(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.get_meeting_for_results(request.user, meeting_id)
    return _evaluation_out(selectors.evaluation_of(meeting))


@router.patch(
    "/meetings/{meeting_id}/evaluation",
    response=EvaluationOut,
    summary="Set targets, conclusion, lessons",
)
def update_evaluation(
    request: AuthedRequest, meeting_id: int, payload: EvaluationPatch
) -> dict[str, Any]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    values = payload.dict(exclude_unset=True)
    return _evaluation_out(services.update_evaluation(meeting, actor=request.user, **values))


@router.post(
    "/meetings/{meeting_id}/evaluation/complete",
    response=EvaluationOut,
    summary="Mark the evaluation done",
)
def complete_evaluation(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    return _evaluation_out(services.complete_evaluation(meeting, actor=request.user))


@router.post(
    "/meetings/{meeting_id}/evaluation/send",
    response=CountOut,
    summary="Send the results to participants and/or leaders",
)
def send_results(request: AuthedRequest, meeting_id: int, payload: SendIn) -> dict[str, int]:
    meeting = selectors.get_meeting_to_manage(request.user, meeting_id)
    return {
        "count": services.send_results(
            meeting, actor=request.user, audiences=list(payload.audiences)
        )
    }
