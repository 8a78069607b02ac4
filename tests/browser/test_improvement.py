"""On a phone: an organiser writes a lesson for a meeting, then sees it counted in the register."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_write_a_lesson_on_a_phone(open_page, sign_in, organiser, make_meeting):
    from playwright.sync_api import expect

    from meetops.improvement.models import Lesson

    meeting = make_meeting(title="手机复盘会", kind="regular")
    page = open_page(width=375, height=740)
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator("details[data-area=after] > summary").click()  # 会后: one tap away on a draft
    page.get_by_role("link", name="经验教训").first.click()
    page.select_option("#id_phase", "running")
    page.select_option("#id_category", "tech")
    page.select_option("#id_effect", "negative")
    page.fill("#id_what_happened", "投影仪开场无法投屏")
    page.fill("#id_cause", "会前未联调演示电脑")
    page.locator("#lesson-form button[type=submit]").click()
    expect(page.locator("#lessons tr[data-effect=negative]")).to_have_count(1)
    assert Lesson.objects.get(meeting=meeting).author == organiser
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1

    page.goto("/lessons/")
    expect(page.locator("#category-counts tr[data-category=tech] strong")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1


def test_an_outside_practice_from_submission_to_a_new_meeting_on_a_phone(
    open_page, sign_in, organiser, make_user
):
    """P10.3 end to end: submit, approve, find in the library, start a meeting from it."""
    from datetime import timedelta

    from django.utils import timezone
    from playwright.sync_api import expect

    from meetops.improvement.models import Case
    from meetops.meetings.models import Meeting

    leader = make_user("leader", roles=("leader",))
    page = open_page(width=375, height=740)
    sign_in(page, organiser.username)
    page.goto("/cases/")
    page.locator('a[href="/cases/new/"]').click()
    page.fill("#id_title", "兄弟院校：会议材料无纸化")
    page.fill("#id_summary", "材料提前三天上传，扫码阅读")
    page.fill("#id_success_factors", "统一上传入口与截止时间")
    page.fill("#id_source", "某大学党政办公室")
    page.fill("#id_tags", "无纸化, 会务")
    page.locator("#case-form button[type=submit]").click()
    expect(page.locator("#case-status")).to_be_visible()
    case = Case.objects.get(title="兄弟院校：会议材料无纸化")
    assert case.status == "submitted" and case.kind == "external"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1

    approver = open_page(width=375, height=740)
    sign_in(approver, leader.username)
    approver.goto("/cases/")
    approver.locator(f'#waiting a[href="/cases/{case.pk}/"]').click()
    approver.locator("#decide-form button[formaction$='/approve/']").click()
    expect(approver.locator("#case-status")).to_have_text("已发布")
    approver.goto("/cases/")
    approver.fill("input[name=q]", "某大学")
    approver.locator("form.filters button[type=submit]").click()
    expect(approver.locator(f"#cases article[data-case='{case.pk}']")).to_have_count(1)
    assert approver.evaluate("document.documentElement.scrollWidth") <= 375 + 1

    page.goto(f"/cases/{case.pk}/")
    day = timezone.localdate() + timedelta(days=60)
    page.fill("#use-form input[name=start]", f"{day.isoformat()}T09:00")
    page.select_option("#use-form select[name=kind]", index=1)
    page.fill("#use-form input[name=duration_minutes]", "90")
    page.locator("#use-form button[type=submit]").click()
    page.wait_for_url("**/meetings/*/")
    new = Meeting.objects.get(title="兄弟院校：会议材料无纸化")
    assert new.goals == "统一上传入口与截止时间" and new.stage == "draft"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1


def test_a_questionnaire_problem_becomes_a_lesson_on_a_phone(
    open_page, sign_in, organiser, make_meeting
):
    """P6.7 in one step: from the comment on the results page to the lesson in the register."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from meetops.evaluation.models import Answer, Question, Response, Survey
    from meetops.improvement.models import Lesson

    meeting = make_meeting(title="问卷复盘会", kind="regular")
    survey = Survey.objects.create(meeting=meeting, title="会后问卷", state="closed")
    question = Question.objects.create(survey=survey, order=1, kind="text", text="意见和建议")
    response = Response.objects.create(survey=survey, submitted_on=timezone.localdate())
    answer = Answer.objects.create(response=response, question=question, text="会场太冷")
    page = open_page(width=375, height=740)
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/survey/results/")
    page.locator(f"#answer-{answer.pk} a[href$='/lessons/from/survey_answer/{answer.pk}/']").click()
    expect(page.locator("#id_what_happened")).to_have_value("会场太冷")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    page.select_option("#id_category", "venue")
    page.fill("#id_cause", "空调按默认温度运行，会前未检查")
    page.fill("#id_root_cause", "会前未检查会场环境")
    page.locator("#lesson-form button[type=submit]").click()
    expect(page.locator("#lessons tr[data-effect=negative]")).to_have_count(1)
    lesson = Lesson.objects.get(meeting=meeting)
    assert (lesson.source_kind, lesson.source_object_id) == ("survey_answer", answer.pk)
    page.goto("/lessons/")
    expect(page.locator("#category-counts tr[data-category=venue] strong")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
