"""Writes of the evaluation app: the questionnaire, answers, the evaluation."""

from meetops.evaluation.services.evaluation import (
    complete_evaluation,
    reopen_evaluation,
    send_results,
    update_evaluation,
)
from meetops.evaluation.services.responses import accepting, submit_response
from meetops.evaluation.services.survey import (
    categorise,
    close_survey,
    create_survey,
    open_survey,
    remind,
    save_questions,
    update_survey,
)

__all__ = [
    "accepting",
    "categorise",
    "close_survey",
    "complete_evaluation",
    "create_survey",
    "open_survey",
    "remind",
    "reopen_evaluation",
    "save_questions",
    "send_results",
    "submit_response",
    "update_evaluation",
    "update_survey",
]
