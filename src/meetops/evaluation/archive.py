"""What filing a meeting takes from the evaluation for the archive (P4.1): the questionnaire's
results once the questionnaire is closed (the Excel export, one row per response) and the
evaluation once it is done (a PDF with the figures as they were when it was marked done)."""

from __future__ import annotations

from collections.abc import Iterator

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from meetops.core.archive import Found, html_pdf
from meetops.evaluation.exports import results_xlsx
from meetops.evaluation.indicators import outcomes_of
from meetops.evaluation.models import Evaluation, EvaluationState, Response, SurveyState
from meetops.evaluation.selectors import survey_of
from meetops.meetings.models import Meeting
from meetops.people.models import User


def survey_results(meeting: Meeting, actor: User) -> Iterator[Found]:
    survey = survey_of(meeting)
    if survey is None or survey.state != SurveyState.CLOSED:
        return
    if not Response.objects.filter(survey=survey).exists():
        return
    yield Found(
        "evaluation.results",
        "survey",
        _("Questionnaire results"),
        "xlsx",
        lambda: results_xlsx(survey),
    )


def evaluation(meeting: Meeting, actor: User) -> Iterator[Found]:
    found = (
        Evaluation.objects.filter(meeting=meeting, state=EvaluationState.DONE)
        .select_related("done_by")
        .first()
    )
    if found is None:
        return
    context = {
        "meeting": meeting,
        "evaluation": found,
        "indicators": found.snapshot.get("indicators", []),
        "outcomes": outcomes_of(meeting),
    }
    yield Found(
        "evaluation.pdf",
        "report",
        _("Evaluation: actual against expected"),
        "pdf",
        lambda: html_pdf(render_to_string("evaluation/evaluation_print.html", context)),
    )
