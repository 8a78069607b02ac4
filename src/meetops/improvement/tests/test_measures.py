"""Improvement measures: lifecycle, effectiveness review (P9.7), visibility and overdue reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.improvement import selectors
from meetops.improvement.jobs import remind_overdue_measures
from meetops.improvement.models import Measure
from meetops.improvement.services import measures as services
from meetops.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_measure_from_lessons_takes_their_meeting(
    meeting, organiser, member, add_lesson, add_measure
):
    lesson = add_lesson(meeting)
    measure = add_measure(lessons=[lesson], owner=member)
    assert measure.meeting == meeting and list(measure.lessons.all()) == [lesson]
    assert measure.status == "planned"


def test_lessons_of_two_meetings_are_not_mixed(meeting, make_meeting, add_lesson, add_measure):
    other = make_meeting(title="另一个会")
    with pytest.raises(ValidationFailed) as err:
        add_measure(lessons=[add_lesson(meeting), add_lesson(other)])
    assert err.value.details["fields"] == ["lesson_ids"]


def test_a_measure_needs_an_owner_and_one_who_can_see_the_meeting(
    secret_meeting, organiser, outsider, add_measure
):
    with pytest.raises(ValidationFailed):
        add_measure(secret_meeting, owner=None)
    with pytest.raises(ValidationFailed) as err:
        add_measure(secret_meeting, owner=outsider)
    assert err.value.details["fields"] == ["owner_id"]


def test_only_managers_plan_measures_for_a_meeting(meeting, member, add_measure):
    with pytest.raises(PermissionDenied):
        add_measure(meeting, actor=member, owner=member)


def test_lifecycle_done_then_reviewed_effective(meeting, member, leader, organiser, add_measure):
    measure = add_measure(meeting, owner=member)
    measure = services.start_measure(measure, actor=member)
    assert measure.status == "in_progress"
    with pytest.raises(ValidationFailed):
        services.complete_measure(measure, actor=member, result_note=" ")
    measure = services.complete_measure(
        measure, actor=member, result_note="清单已更新", evidence="会务检查清单第 7 项"
    )
    assert measure.status == "done" and measure.finished_at is not None
    with pytest.raises(DomainError) as err:
        services.start_measure(measure, actor=member)
    assert err.value.code == "measure_state"
    with pytest.raises(PermissionDenied) as err:
        services.review_measure(measure, actor=member, effectiveness="effective")
    assert err.value.code == "self_review"
    with pytest.raises(ValidationFailed):
        services.review_measure(measure, actor=leader, effectiveness="partly")  # needs a note
    reviewed = services.review_measure(measure, actor=leader, effectiveness="effective", note="好")
    assert (reviewed.effectiveness, reviewed.reviewed_by) == ("effective", leader)


def test_review_only_after_done_and_not_by_a_plain_member(meeting, member, make_user, add_measure):
    measure = add_measure(meeting)
    other_member = make_user("other", roles=("member",))
    with pytest.raises(PermissionDenied):
        services.review_measure(measure, actor=other_member, effectiveness="effective")
    reviewer = make_user("boss", roles=("leader",))
    with pytest.raises(DomainError) as err:
        services.review_measure(measure, actor=reviewer, effectiveness="effective")
    assert err.value.code == "measure_state"


def test_drop_needs_a_reason_and_outsider_cannot_touch(meeting, organiser, outsider, add_measure):
    measure = add_measure(meeting)
    with pytest.raises(PermissionDenied):
        services.drop_measure(measure, actor=outsider, reason="不需要")
    with pytest.raises(ValidationFailed):
        services.drop_measure(measure, actor=organiser, reason="")
    dropped = services.drop_measure(measure, actor=organiser, reason="由新制度替代")
    assert (dropped.status, dropped.drop_reason) == ("dropped", "由新制度替代")


def test_measures_of_a_confidential_meeting_never_show(
    secret_meeting, meeting, organiser, outsider, add_measure, client
):
    add_measure(secret_meeting, title="绝密整改")
    visible = add_measure(meeting, title="公开整改")
    assert list(selectors.measures_visible_to(outsider)) == [visible]
    client.force_login(outsider)
    secret = Measure.objects.get(title="绝密整改")
    assert client.get(reverse("measure_detail", args=[secret.pk])).status_code == 404
    assert "绝密整改" not in client.get(reverse("measures")).content.decode()


def test_overdue_reminder_once_per_day_per_measure(
    meeting, member, add_measure, django_capture_on_commit_callbacks
):
    late = add_measure(meeting, owner=member, due_date=timezone.localdate() - timedelta(days=2))
    add_measure(meeting, owner=member, title="未到期")
    done = add_measure(meeting, owner=member, due_date=timezone.localdate() - timedelta(days=5))
    services.complete_measure(done, actor=member, result_note="已完成")
    assert remind_overdue_measures() == 1
    assert remind_overdue_measures() == 1  # the second run the same day sends nothing new
    rows = OutboxMessage.objects.filter(event="improvement.measure.overdue")
    assert rows.count() >= 1
    assert {r.dedupe_key.split(":")[1] for r in rows} == {str(late.pk)}
    assert {r.user_id for r in rows} == {member.pk}
    count = rows.count()
    remind_overdue_measures()
    assert OutboxMessage.objects.filter(event="improvement.measure.overdue").count() == count


def test_process_change_proposals_reach_the_admins_list(
    meeting, admin_user, member, add_measure, client
):
    add_measure(meeting, proposes_process_change=True, process_change="P2.10 增加联调项")
    with pytest.raises(ValidationFailed):
        add_measure(meeting, proposes_process_change=True, process_change="")
    client.force_login(admin_user)
    assert "P2.10 增加联调项" in client.get(reverse("process_proposals")).content.decode()
    client.force_login(member)
    assert client.get(reverse("process_proposals")).status_code == 403


def test_measure_pages_walk_the_lifecycle(meeting, organiser, member, leader, add_lesson, client):
    lesson = add_lesson(meeting)
    client.force_login(organiser)
    page = client.get(reverse("measure_new"), {"meeting": meeting.pk, "lesson": lesson.pk})
    assert page.status_code == 200
    response = client.post(
        reverse("measure_new") + f"?meeting={meeting.pk}",
        {
            "title": "联调演示电脑",
            "lessons": [lesson.pk],
            "owner": member.pk,
            "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    measure = Measure.objects.get()
    assert response.status_code == 302 and measure.meeting == meeting
    client.force_login(member)
    client.post(reverse("measure_action", args=[measure.pk, "complete"]), {"result_note": "完成"})
    client.force_login(leader)
    client.post(
        reverse("measure_action", args=[measure.pk, "review"]), {"effectiveness": "effective"}
    )
    measure.refresh_from_db()
    assert (measure.status, measure.effectiveness) == ("done", "effective")


def test_measure_list_query_count_is_pinned(
    meeting, organiser, add_measure, client, django_assert_max_num_queries
):
    add_measure(meeting)
    client.force_login(organiser)
    with django_assert_max_num_queries(12):
        client.get(reverse("measures"))
    for i in range(10):
        add_measure(meeting, title=f"措施{i}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("measures"))
    assert len(response.context["page"].object_list) == 11


def test_a_refused_review_keeps_what_was_typed_and_says_why(
    meeting, member, leader, add_measure, client
):
    """Issue 16, findings 7 and 8: the review form lost its input and said "部分字段无效"."""
    measure = add_measure(meeting, owner=member)
    services.complete_measure(measure, actor=member, result_note="清单已更新")
    client.force_login(leader)
    response = client.post(
        reverse("measure_action", args=[measure.pk, "review"]),
        {"effectiveness": "partly", "note": "  "},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "判定未见效的措施需要填写说明" in page and "部分字段无效" not in page
    assert 'value="partly" selected' in page or '<option value="partly" selected>' in page
    measure.refresh_from_db()
    assert measure.effectiveness == ""
    response = client.post(
        reverse("measure_action", args=[measure.pk, "review"]),
        {"effectiveness": "effective"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 302
    assert "改进措施的成效评审已记录。" in client.get(response.url).content.decode()


def test_a_planned_measure_reads_as_planned_not_as_a_budget_amount(meeting, add_measure):
    """Issue 16, finding 4: "Planned" was translated as 预算金额 on every measure's status."""
    from django.utils import translation

    measure = add_measure(meeting)
    with translation.override("zh-hans"):
        assert measure.get_status_display() == "计划中"
    with translation.override("zh-hant"):
        assert measure.get_status_display() == "計劃中"
