"""The shell in a real browser: sign-in, languages, a meeting from creation to an overridden stage, phone width."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_and_switch_language(open_page, sign_in, make_user):
    make_user("wangfang", roles=("organiser",), display_name="王芳")
    page = open_page()
    page.goto("/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    sign_in(page, "wangfang")
    assert page.locator("nav.mainnav").inner_text().split() == [
        "工作台",
        "会议",
        "日历",
        "公告栏",  # everyone signed in: the notice board of announced meetings
        "待我处理",
        "我的行动事项",
        "督办跟踪",  # organisers, leaders and admins: the follow-up board
        "经验与案例",
        "供应商",  # organisers read the register of suppliers
        "会议室",
        "审计日志",
        "常用分组",  # organisers' saved groups
    ]

    page.click(".langswitch button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Dashboard" in page.locator("nav.mainnav").inner_text()

    page.click(".langswitch button[value=zh-hant]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    assert "審計日誌" in page.locator("nav.mainnav").inner_text()

    page.click(".userbox button[type=submit]")  # sign out; the saved choice comes back on sign-in
    sign_in(page, "wangfang")
    assert "審計日誌" in page.locator("nav.mainnav").inner_text()


def test_create_meeting_block_override_and_audit(open_page, sign_in, make_user):
    make_user("wangfang", roles=("organiser",))
    page = open_page()
    sign_in(page, "wangfang")
    page.click(".langswitch button[value=en]")
    page.wait_for_load_state()

    page.goto("/meetings/new/")
    start = (timezone.localtime() + timedelta(days=5)).replace(hour=9, minute=0)
    page.fill("#id_title", "Quarterly planning")
    page.select_option("#id_kind", label="Regular / office meeting")
    page.fill("#id_start", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_location", "Room 301")
    page.fill("#id_goals", "Agree the plan for next quarter")
    page.click("form.card button.primary")
    page.wait_for_selector(".stagebar li.current")
    assert page.locator("h1").inner_text() == "Quarterly planning"
    assert page.locator(".stagebar li.current").inner_text() == "Draft"

    page.click("button[data-to=preparing]")  # the plan is complete from evidence
    page.wait_for_selector(".stagebar li.current:has-text('Preparing')")

    page.click("button[data-to=ready]")
    blocked = page.wait_for_selector("#blocked")
    assert "P2.2" in blocked.inner_text()
    assert page.locator(".stagebar li.current").inner_text() == "Preparing"
    page.fill("#override-reason", "The director moved the meeting forward")
    page.click("#blocked button[type=submit]")
    page.wait_for_selector(".stagebar li.current:has-text('Ready')")
    assert page.locator("#blocked").count() == 0

    page.locator("details[data-area=archive] > summary").click()  # the records area, one tap away
    page.click("text=Full history")
    page.wait_for_selector("tr[data-action='meetings.meeting.stage_overridden']")
    row = page.locator("tr[data-action='meetings.meeting.stage_overridden']").inner_text()
    assert "The director moved the meeting forward" in row and "Web" in row
    assert page.locator("tr[data-action='meetings.meeting.created']").count() == 1


def test_phone_width_has_no_horizontal_overflow(
    open_page, sign_in, make_user, make_meeting, tmp_path
):
    organiser = make_user("wangfang", roles=("organiser",))
    meeting = make_meeting(
        actor=organiser,
        title="手机上也能看清楚的一个相当长的会议标题",
        location="行政楼三楼第一会议室",
    )
    page = open_page(375, 800)
    sign_in(page, "wangfang")
    for path in [
        "/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        "/meetings/calendar/",
        "/audit/",
        f"/meetings/{meeting.pk}/edit/",
    ]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide"
    page.goto(f"/meetings/{meeting.pk}/")
    page.screenshot(path=str(tmp_path / "meeting-375.png"), full_page=True)
    assert page.locator(".mainnav").is_hidden()  # the navigation folds behind the menu button
    page.click("label.menu-button")
    assert page.locator(".mainnav").is_visible()
