"""The questionnaire's answers as an Excel sheet, one row per response (cells neutralised against formulas)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.core.downloads import download_response
from meetops.evaluation.models import Answer, QuestionKind, Response, Survey
from meetops.evaluation.selectors import questions_of
from meetops.invitations.spreadsheets import write_xlsx
from meetops.meetings.models import Meeting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(answer: Answer | None) -> object:
    if answer is None:
        return ""
    if answer.question.kind == QuestionKind.RATING:
        return answer.rating
    if answer.question.kind == QuestionKind.TEXT:
        return answer.text
    return "; ".join(answer.choices)


def rows_of(survey: Survey) -> tuple[list[str], list[list[object]]]:
    """Headers and rows; names only when the survey is not anonymous. Three queries."""
    questions = questions_of(survey)
    answers: dict[tuple[int, int], Answer] = {}
    for answer in Answer.objects.filter(response__survey=survey).select_related("question"):
        answers[(answer.response_id, answer.question_id)] = answer
    responses = Response.objects.filter(survey=survey).select_related("respondent").order_by("id")
    headers = [pgettext("survey", "Response"), _("Date")]
    if not survey.anonymous:
        headers += [pgettext("person", "Name"), _("Department/company")]
    headers += [q.text for q in questions]
    rows = []
    for number, response in enumerate(responses, start=1):
        row: list[object] = [number, response.submitted_on.isoformat()]
        if not survey.anonymous:
            who = response.respondent
            row += [who.name if who else "", who.organisation if who else ""]
        row += [_cell(answers.get((response.pk, q.pk))) for q in questions]
        rows.append(row)
    return headers, rows


def results_xlsx(survey: Survey) -> bytes:
    """The answers as an Excel workbook: the download, and what the archive keeps."""
    headers, rows = rows_of(survey)
    return write_xlsx(headers, rows, title=survey.title)


def xlsx_response(meeting: Meeting, survey: Survey) -> HttpResponse:
    return download_response(
        results_xlsx(survey), filename=f"feedback-{meeting.pk}.xlsx", content_type=XLSX
    )
