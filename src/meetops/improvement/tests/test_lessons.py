"""The lessons register: who writes, who reads, filters and counts, and the P4.8 rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.improvement import selectors
from meetops.improvement.models import Lesson
from meetops.improvement.services.lessons import record_lesson, update_lesson
from meetops.meetings.services import add_participant
from meetops.policy.rules import is_met

pytestmark = pytest.mark.django_db


def test_organiser_records_a_lesson_on_the_meetings_audit_stream(meeting, organiser, add_lesson):
    lesson = add_lesson(meeting, cause="为什么？未联调。根因：清单缺项")
    assert lesson.meeting == meeting and lesson.author == organiser
    assert lesson.department_id == meeting.department_id
    entry = AuditEntry.objects.get(action="improvement.lesson.recorded")
    assert entry.object_type == "meeting" and entry.object_id == str(meeting.pk)


def test_host_and_recorder_write_lessons_a_participant_and_an_outsider_do_not(
    meeting, organiser, member, outsider, make_user, add_lesson
):
    recorder = make_user("recorder")
    add_participant(meeting, actor=organiser, user=recorder, role="recorder")
    assert add_lesson(meeting, actor=recorder).author == recorder
    for person in (member, outsider):
        with pytest.raises(PermissionDenied):
            add_lesson(meeting, actor=person)


def test_invalid_lesson_is_refused_with_the_fields(meeting, add_lesson):
    with pytest.raises(ValidationFailed) as err:
        add_lesson(meeting, category="weather", what_happened="  ")
    assert err.value.code == "invalid_input"
    assert set(err.value.details["fields"]) == {"category", "what_happened"}


def test_organisation_wide_lessons_are_for_planners(organiser, member):
    lesson = record_lesson(
        actor=organiser,
        meeting=None,
        phase="after",
        category="process",
        effect="positive",
        what_happened="统一会务模板",
    )
    assert lesson.meeting is None
    with pytest.raises(PermissionDenied):
        record_lesson(
            actor=member,
            meeting=None,
            phase="after",
            category="process",
            effect="positive",
            what_happened="x",
        )


def test_only_the_author_or_a_manager_edits(meeting, organiser, member, make_user, add_lesson):
    recorder = make_user("recorder")
    add_participant(meeting, actor=organiser, user=recorder, role="recorder")
    lesson = add_lesson(meeting, actor=recorder)
    assert update_lesson(lesson, actor=recorder, effect="positive").effect == "positive"
    assert update_lesson(lesson, actor=organiser, category="venue").category == "venue"
    with pytest.raises(PermissionDenied):
        update_lesson(lesson, actor=member, category="time")


def test_confidential_lessons_are_invisible_to_outsiders(
    meeting, secret_meeting, member, outsider, add_lesson, client
):
    open_lesson = add_lesson(meeting)
    secret = add_lesson(secret_meeting, what_happened="绝密人事安排泄露风险")
    assert list(selectors.lessons_visible_to(outsider)) == [open_lesson]
    client.force_login(outsider)
    body = client.get(reverse("lessons")).content.decode()
    assert "投影仪无法投屏" in body and "绝密人事" not in body
    assert client.get(reverse("meeting_lessons", args=[secret_meeting.pk])).status_code == 404
    assert client.get(reverse("lesson_edit", args=[secret.pk])).status_code == 404


def test_register_filters_and_counts_recurring_problems(
    meeting, make_meeting, organiser, add_lesson, client
):
    training = make_meeting(title="新员工培训", kind="training")
    add_lesson(meeting)
    add_lesson(training, what_happened="培训投影又坏了")
    add_lesson(meeting, category="venue", effect="positive", what_happened="会场宽敞")
    client.force_login(organiser)
    response = client.get(reverse("lessons"), {"kind": "training"})
    assert [x.what_happened for x in response.context["page"].object_list] == ["培训投影又坏了"]
    counts = response.context["counts"]
    assert (counts[0].code, counts[0].problems) == ("tech", 1)
    everything = client.get(reverse("lessons"), {"category": "tech", "year": meeting.start.year})
    assert everything.context["counts"][0].problems == 2
    assert len(everything.context["page"].object_list) == 2


def test_meeting_page_lets_a_participant_read_but_not_write(meeting, member, add_lesson, client):
    add_lesson(meeting)
    client.force_login(member)
    response = client.get(reverse("meeting_lessons", args=[meeting.pk]))
    assert response.status_code == 200 and "投影仪无法投屏" in response.content.decode()
    assert response.context["form"] is None
    post = client.post(
        reverse("meeting_lessons", args=[meeting.pk]),
        {"phase": "running", "category": "tech", "effect": "negative", "what_happened": "x"},
    )
    assert post.status_code == 403
    assert Lesson.objects.count() == 1


def test_organiser_writes_a_lesson_through_the_page(meeting, organiser, client):
    client.force_login(organiser)
    response = client.post(
        reverse("meeting_lessons", args=[meeting.pk]),
        {
            "phase": "preparation",
            "category": "materials",
            "effect": "positive",
            "what_happened": "材料提前一周发出",
            "cause": "",
        },
    )
    assert response.status_code == 302
    assert Lesson.objects.get().what_happened == "材料提前一周发出"


def test_p48_rule_follows_lessons_and_default_step_is_automatic_but_optional(meeting, add_lesson):
    step = meeting.steps.get(clause="P4.8")
    assert (step.completion, step.rule, step.required) == (
        "automatic",
        "improvement.lessons_recorded",
        False,
    )
    assert not is_met("improvement.lessons_recorded", meeting)
    add_lesson(meeting, phase="followup")
    assert not is_met("improvement.lessons_recorded", meeting)
    assert is_met("improvement.followup_lessons_recorded", meeting)
    add_lesson(meeting, phase="preparation")
    assert is_met("improvement.lessons_recorded", meeting)


def test_register_query_count_does_not_grow_with_rows(
    meeting, make_meeting, organiser, add_lesson, client, django_assert_max_num_queries
):
    for i in range(3):
        add_lesson(make_meeting(title=f"会议{i}"), what_happened=f"问题{i}")
    client.force_login(organiser)
    with django_assert_max_num_queries(14):
        small = client.get(reverse("lessons"))
    for i in range(12):
        add_lesson(meeting, what_happened=f"更多问题{i}")
    with django_assert_max_num_queries(14):
        big = client.get(reverse("lessons"))
    assert len(big.context["page"].object_list) == 15 > len(small.context["page"].object_list)


def test_p48_rule_also_accepts_the_evaluations_lessons(make_meeting, organiser):
    from datetime import timedelta

    from django.utils import timezone

    from meetops.evaluation.services import complete_evaluation, update_evaluation

    held = make_meeting(start=(timezone.now() - timedelta(hours=3)).replace(microsecond=0))
    assert not is_met("improvement.lessons_recorded", held)
    update_evaluation(held, actor=organiser, conclusion="达到预期", lessons="提前发材料效果好")
    complete_evaluation(held, actor=organiser)
    assert is_met("improvement.lessons_recorded", held)


def test_a_lesson_saved_as_it_was_writes_nothing_and_says_so(
    client: Any, meeting: Any, organiser: Any, add_lesson: Any, as_shown: Any
) -> None:
    """The edit form sent back as shown: no row written (updated_at kept), no audit entry, and
    the page says 未作修改; a real change is saved as before."""
    from meetops.improvement.forms import LessonForm

    lesson = add_lesson(meeting)
    stamped = Lesson.objects.get(pk=lesson.pk).updated_at
    shown = LessonForm(instance=lesson)
    data = as_shown(shown)
    client.force_login(organiser)
    url = reverse("lesson_edit", args=[lesson.pk])
    page = client.post(url, data, follow=True, headers={"Accept-Language": "zh-hans"})
    assert page.status_code == 200 and "未作修改" in page.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).updated_at == stamped
    updates = AuditEntry.objects.filter(action="improvement.lesson.updated")
    assert not updates.exists()
    data["cause"] = "会前未联调，也未备用线"
    page = client.post(url, data, follow=True, headers={"Accept-Language": "zh-hans"})
    assert "未作修改" not in page.content.decode() and updates.count() == 1
