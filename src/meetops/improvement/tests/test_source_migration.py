"""Upgrading to measures that name their source (improvement 0003, P9.1): a measure planned from
lessons before the upgrade names its first lesson; one planned directly names nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.core.tests.migrating import migrate, migrate_to_latest
from meetops.improvement.models import Measure

BEFORE = [("improvement", "0002_lessons_automatic")]
AFTER = [("improvement", "0003_sources_and_root_causes")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_measures_from_lessons_name_their_first_lesson(make_meeting, organiser):
    meeting = make_meeting(title="升级前的会")
    executor = migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        Lesson, OldMeasure = (
            old.get_model("improvement", "Lesson"),
            old.get_model("improvement", "Measure"),
        )
        common = {
            "meeting_id": meeting.pk,
            "phase": "running",
            "category": "tech",
            "effect": "negative",
            "author_id": organiser.pk,
        }
        first = Lesson.objects.create(what_happened="投影仪  无法投屏", **common)
        second = Lesson.objects.create(what_happened="话筒啸叫", **common)
        due = timezone.localdate() + timedelta(days=7)
        grown = OldMeasure.objects.create(
            title="会前联调", meeting_id=meeting.pk, owner_id=organiser.pk, due_date=due
        )
        grown.lessons.set([second, first])
        direct = OldMeasure.objects.create(
            title="直接计划", meeting_id=meeting.pk, owner_id=organiser.pk, due_date=due
        )
    finally:
        migrate(AFTER)
        migrate_to_latest()
    measure = Measure.objects.get(pk=grown.pk)
    assert (measure.source_kind, measure.source_object_id) == ("lesson", first.pk)
    assert measure.source_label == "投影仪 无法投屏"
    assert (
        measure.source_url == reverse("meeting_lessons", args=[meeting.pk]) + f"#lesson-{first.pk}"
    )
    assert Measure.objects.get(pk=direct.pk).source_kind == ""
