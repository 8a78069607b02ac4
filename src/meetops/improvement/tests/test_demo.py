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
    case = Case.objects.get(status="published")
    assert case.decided_by != case.proposed_by and case.sharings.count() == 1
    client.force_login(User.objects.get(username="liuyang"))  # a member reads them
    assert case.title in client.get("/cases/").content.decode()
    assert "投影仪" in client.get("/lessons/").content.decode()
