"""Readable names of this app's audit actions and data keys (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "evaluation.survey.created": _("Feedback questionnaire created"),
        "evaluation.survey.updated": _("Feedback questionnaire changed"),
        "evaluation.survey.questions_saved": _("Questionnaire questions saved"),
        "evaluation.survey.opened": _("Feedback questionnaire opened"),
        "evaluation.survey.reminded": _("Reminders sent to those who have not answered"),
        "evaluation.survey.closed": _("Feedback questionnaire closed"),
        "evaluation.response.submitted": _("Questionnaire answered"),
        "evaluation.comment.categorised": _("Comment sorted"),
        "evaluation.evaluation.updated": _("Evaluation changed"),
        "evaluation.evaluation.done": _("Evaluation marked done"),
        "evaluation.evaluation.reopened": _("Evaluation reopened"),
        "evaluation.results.sent": _("Evaluation results sent"),
    }
)

label_data_keys(
    {
        "survey": _("Questionnaire"),
        "respondents": _("People asked"),
        "reminded": _("Reminded"),
        "answer_count": _("Answers in the questionnaire"),
        "anonymous": _("Anonymous"),
        "respondent": _("Respondent"),
        "met": _("Indicators met"),
        "not_met": _("Indicators not met"),
        "audiences": _("Sent to"),
    }
)
