"""The demo shows the feature: lessons on meetings, a done-and-effective and an overdue measure,
a published case shared at the training."""

from __future__ import annotations

import pytest
from django.utils import timezone

from meetops.improvement.models import Case, Lesson, Measure

pytestmark = pytest.mark.django_db


def test_demo_has_lessons_measures_and_a_published_case(client):
    from meetops.core.demo import load_demo
    from meetops.people.models import User

    load_demo()
    assert Lesson.objects.values("meeting").distinct().count() >= 2
    assert Measure.objects.filter(status="done", effectiveness="effective").count() == 1
    overdue = Measure.objects.filter(status="planned", due_date__lt=timezone.localdate())
    assert overdue.count() == 1
    case = Case.objects.get(status="published", kind="meeting")
    assert case.decided_by != case.proposed_by and case.sharings.count() == 1
    practice = Case.objects.get(status="published", kind="external")  # P10.3
    assert practice.source and practice.meeting is None
    # P6.7: a problem from a questionnaire, recorded as a lesson with its cause and root cause
    from_feedback = Lesson.objects.get(source_kind="survey_answer")
    assert from_feedback.root_cause and from_feedback.cause
    # P9.1: the measure from a lesson names it
    assert Measure.objects.filter(source_kind="lesson").count() == 1
    client.force_login(User.objects.get(username="liuyang"))  # a member reads them
    assert case.title in client.get("/cases/").content.decode()
    register = client.get("/lessons/")
    assert "投影仪" in register.content.decode()
    assert any(c.code == "会前未联调设备" for c in register.context["recurring"])
