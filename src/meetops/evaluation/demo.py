"""Demo feedback and evaluations: the evidence for P4.3, P4.8 and P4.10.

When the meetings loader walks a demo meeting past "concluded", the questionnaire is
made from the default template, opened, answered by the people on the meeting with
Chinese answers, and closed. A large meeting (60 expected) first gets the rest of the
demo staff on its list, signed in from the paper sheet, so its results have some depth.
When a meeting leaves "following up" (and the large one, as soon as its answers are in),
its evaluation is written and marked done.
"""

from __future__ import annotations

from typing import Any

from meetops.attendance.models import Method
from meetops.attendance.services import sign_in
from meetops.core.demo import demo_evidence
from meetops.evaluation import services
from meetops.evaluation.models import Answer, QuestionKind, SurveyState
from meetops.evaluation.selectors import evaluation_of, survey_of
from meetops.meetings.models import Meeting, MeetingRole, ParticipantStatus
from meetops.meetings.services import add_participant
from meetops.people.models import User

# Comments and how the organiser files them (P6.6).
COMMENTS = [
    ("会议主题明确，材料准备充分，收获很大。", "positive"),
    ("建议提前一周下发会议材料，便于会前准备。", "suggestion"),
    ("会场空调温度偏低，希望下次注意。", "problem"),
    ("讨论环节时间偏紧，建议适当延长。", "suggestion"),
    ("主持人把控节奏很好，会议高效。", "positive"),
    ("希望会后尽快印发会议纪要。", "suggestion"),
    ("签到流程便捷，扫码很方便。", "positive"),
    ("", ""),
]
RATINGS = [5, 4, 5, 4, 3, 5, 4, 4, 5, 3, 4, 5, 4, 2, 5, 4]
LARGE = 40


def _fill_large_meeting(meeting: Meeting, actor: User) -> None:
    """Put the rest of the demo staff on a large meeting's list and sign most of them in."""
    if (meeting.expected_attendance or 0) < LARGE:
        return
    on_list = set(meeting.participants.values_list("user_id", flat=True))
    others = User.objects.filter(is_active=True).exclude(pk__in=on_list).order_by("id")[:14]
    for user in others:
        add_participant(meeting, actor=actor, user=user, role=MeetingRole.PARTICIPANT)
    people = meeting.participants.filter(status=ParticipantStatus.ACTIVE).order_by("id")
    for index, participant in enumerate(people):
        if index % 7 != 6:  # a few did not come
            sign_in(meeting, participant=participant, actor=actor, method=Method.IMPORT)


def _answers(questions: list[Any], index: int) -> dict[int, Any]:
    answers: dict[int, Any] = {}
    for q in questions:
        if q.kind == QuestionKind.RATING:
            answers[q.pk] = RATINGS[(index + q.order) % len(RATINGS)]
        elif q.kind == QuestionKind.SINGLE:
            answers[q.pk] = q.choices[1] if index % 4 else q.choices[-1]
        elif q.kind == QuestionKind.MULTIPLE:
            answers[q.pk] = q.choices[: 1 + index % len(q.choices)]
        else:
            answers[q.pk] = COMMENTS[index % len(COMMENTS)][0]
    return answers


@demo_evidence("evaluation.feedback_collected")
def collect_feedback(meeting: Meeting, actor: User) -> None:
    if survey_of(meeting) is not None:
        return
    _fill_large_meeting(meeting, actor)
    survey = services.create_survey(meeting, actor=actor, language="zh-hans")
    survey = services.open_survey(survey, actor=actor)
    questions = list(survey.questions.order_by("order", "id"))
    respondents = list(survey.respondents.order_by("id"))
    for index, respondent in enumerate(respondents):
        if index % 6 == 5:  # not everyone answers
            continue
        services.submit_response(respondent, answers=_answers(questions, index))
    services.close_survey(survey, actor=actor)
    filed = dict(COMMENTS)
    for answer in Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT):
        services.categorise(answer, actor=actor, category=filed.get(answer.text, ""))
    if (meeting.expected_attendance or 0) >= LARGE:
        _evaluate(meeting, actor)  # the showcase: evaluated as soon as the answers are in


def _evaluate(meeting: Meeting, actor: User) -> None:
    if evaluation_of(meeting).state == "done":
        return
    survey = survey_of(meeting)
    answered = survey is not None and survey.state == SurveyState.CLOSED
    services.update_evaluation(
        meeting,
        actor=actor,
        conclusion="会议基本达到预期目标：议题全部完成，形成了明确的工作部署。"
        + ("参会人员总体满意，问卷反馈已整理。" if answered else ""),
        lessons="会议材料应提前一周下发；讨论环节预留更充分的时间；会场温度提前调试。",
    )
    services.complete_evaluation(meeting, actor=actor)


@demo_evidence("evaluation.lessons_recorded")
def lessons_for_demo(meeting: Meeting, actor: User) -> None:
    _evaluate(meeting, actor)


@demo_evidence("evaluation.evaluated")
def evaluation_for_demo(meeting: Meeting, actor: User) -> None:
    _evaluate(meeting, actor)
