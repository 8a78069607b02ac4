"""Completion rules: P4.3 feedback collected, P4.10 meeting evaluated, P4.8 lessons recorded."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.evaluation.models import Evaluation, EvaluationState, Survey, SurveyState
from meetops.evaluation.selectors import evaluation_of, results_of
from meetops.meetings.models import Meeting


@completion_rule(
    "evaluation.feedback_collected",
    _("The feedback questionnaire is closed with answers, or reached its response-rate target"),
)
def feedback_collected(meeting: Meeting) -> bool:
    survey = Survey.objects.filter(meeting=meeting).first()
    if survey is None or survey.state == SurveyState.DRAFT:
        return False
    results = results_of(survey)
    if survey.state == SurveyState.CLOSED:
        return results.answered > 0
    rate = results.response_rate
    return rate is not None and rate >= evaluation_of(meeting).target_response_rate


@completion_rule(
    "evaluation.evaluated", _("The evaluation against the meeting's goals is marked done")
)
def evaluated(meeting: Meeting) -> bool:
    return Evaluation.objects.filter(meeting=meeting, state=EvaluationState.DONE).exists()


@completion_rule(
    "evaluation.lessons_recorded", _("The evaluation is done and its lessons learned are written")
)
def lessons_recorded(meeting: Meeting) -> bool:
    return (
        Evaluation.objects.filter(meeting=meeting, state=EvaluationState.DONE)
        .exclude(lessons="")
        .exists()
    )
