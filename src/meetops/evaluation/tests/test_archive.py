"""Filing a meeting puts the questionnaire's results (once closed) and the evaluation (once done)
into its dossier: sources the evaluation app declares, not the archive."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from meetops.evaluation import services
from meetops.evaluation.models import Respondent
from meetops.evaluation.tests.conftest import full_answers
from meetops.records import services as records
from meetops.records.tests.conftest import conclude

pytestmark = pytest.mark.django_db


def _sources(meeting, actor):
    _dossier, added = records.file_meeting(meeting, actor=actor)
    return {d.source: d for d in added}


def test_open_questionnaire_and_unfinished_evaluation_stay_out(opened, member, organiser):
    services.submit_response(
        Respondent.objects.get(survey=opened, user=member), answers=full_answers(opened)
    )
    services.update_evaluation(opened.meeting, actor=organiser, conclusion="基本达到预期")
    sources = _sources(conclude(opened.meeting), organiser)
    assert "evaluation.results" not in sources and "evaluation.pdf" not in sources


def test_filing_keeps_the_results_and_the_evaluation(opened, member, organiser):
    services.submit_response(
        Respondent.objects.get(survey=opened, user=member),
        answers=full_answers(opened, comment="议程紧凑"),
    )
    services.close_survey(opened, actor=organiser)
    meeting = opened.meeting
    services.update_evaluation(meeting, actor=organiser, conclusion="基本达到预期")
    services.complete_evaluation(meeting, actor=organiser)

    sources = _sources(conclude(meeting), organiser)

    results = sources["evaluation.results"]
    assert results.category.code == "survey"
    with results.current.file.open("rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    assert "议程紧凑" in [c for row in sheet.iter_rows(values_only=True) for c in row]
    evaluation = sources["evaluation.pdf"]
    assert evaluation.category.code == "report"
    with evaluation.current.file.open("rb") as f:
        assert f.read().startswith(b"%PDF-")
