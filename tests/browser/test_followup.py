"""At 375 px in a real chromium: the owner reports progress from "My action items"; the organiser
sees it on the follow-up board."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_owner_reports_progress_on_a_phone(open_page, sign_in, organiser, make_user, make_meeting):
    from django.utils import timezone
    from playwright.sync_api import expect

    from meetops.followup.models import ActionUpdate
    from meetops.minutes import services

    owner = make_user("owner")
    meeting = make_meeting(title="督办测试会")
    action = services.create_action(
        meeting,
        actor=organiser,
        title="拿出差旅预算方案",
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=7),
    )

    page = open_page(375, 812)
    sign_in(page, owner.username)
    page.goto("/actions/")
    page.get_by_role("link", name="拿出差旅预算方案").click()
    page.fill("#progress-form input[name=percent]", "150")  # refused by the browser's range check
    page.fill("#progress-form textarea[name=note]", "初稿已完成，正在征求意见")
    page.fill("#progress-form input[name=percent]", "60")
    page.click("#progress-form button")
    expect(page.locator(".flash")).to_contain_text("进展已报告")
    expect(page.locator("#timeline li[data-kind=progress]")).to_contain_text("60%")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    board = open_page(375, 812)
    sign_in(board, organiser.username)
    board.goto("/followup/")
    row = board.locator(f"#board tr[data-action-id='{action.pk}']")
    expect(row).to_contain_text("进行中")
    expect(row.locator("progress")).to_have_attribute("value", "60")
    assert board.evaluate("document.documentElement.scrollWidth") <= 375
    assert ActionUpdate.objects.get(action=action).percent == 60
