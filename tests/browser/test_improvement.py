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
