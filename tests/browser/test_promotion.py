"""At 375 px in a real chromium: an organiser announces a meeting to a department, a member of
it finds it on the notice board, follows it, and the organiser sees it opened and prints the
poster."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_announcement_reaches_the_notice_board_on_a_phone(
    open_page, sign_in, organiser, make_user, make_meeting
):
    from playwright.sync_api import expect

    from meetops.people.services import create_department
    from meetops.promotion.models import Announcement

    academic = create_department(name="教务处", actor=None)
    reader = make_user("reader", department=academic, display_name="张老师")
    meeting = make_meeting(title="教学工作会议", location="行政楼报告厅")

    page = open_page(375, 812)
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/announcements/")
    page.get_by_label("标题").fill("教学工作会议通知")
    page.get_by_label("正文").fill("请各教研室主任准时参加。")
    page.get_by_label("教务处").check()
    page.get_by_label("站内提醒").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("通知已发布")
    expect(page.locator("[data-figure=recipients]")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    announcement = Announcement.objects.get(meeting=meeting)

    page.get_by_role("link", name="打印海报").click()
    expect(page.locator("#poster img")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    reader_page = open_page(375, 812)
    sign_in(reader_page, reader.username)
    reader_page.goto("/notices/")
    assert reader_page.evaluate("document.documentElement.scrollWidth") <= 375
    reader_page.get_by_role("link", name="教学工作会议通知").click()
    expect(reader_page.locator("#notice")).to_contain_text("请各教研室主任准时参加")
    token = announcement.recipients.get(user=reader).token
    reader_page.goto(f"/notices/{announcement.pk}/go/{token}")
    expect(reader_page.locator("#notice")).to_be_visible()

    page.goto(f"/meetings/{meeting.pk}/announcements/{announcement.pk}/")
    expect(page.locator("[data-figure=opened]")).to_have_text("1")
