"""The demo: a past meeting with a closed questionnaire, Chinese answers, sorted comments and an evaluation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_has_a_closed_questionnaire_and_an_evaluation():
    from meetops.core.demo import load_demo
    from meetops.evaluation.models import Evaluation, Survey
    from meetops.evaluation.selectors import results_of
    from meetops.policy.services import effective_status

    load_demo()
    survey = Survey.objects.select_related("meeting").get(meeting__title="第三季度工作总结会")
    results = results_of(survey)
    assert survey.state == "closed" and 10 <= results.answered <= 20
    grouped = results.comments_by_category()
    assert grouped["positive"] and grouped["suggestion"] and grouped["problem"]
    assert all("\u4e00" <= c.text[0] <= "\u9fff" for c in grouped["positive"])
    evaluation = Evaluation.objects.get(meeting=survey.meeting)
    assert evaluation.state == "done" and evaluation.lessons
    assert effective_status(survey.meeting.steps.get(clause="P4.3")) == "done"
    for closed in Evaluation.objects.filter(meeting__stage="closed").select_related("meeting"):
        assert effective_status(closed.meeting.steps.get(clause="P4.10")) == "done"
