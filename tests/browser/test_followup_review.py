"""At 375 px in a real chromium (P8.7): an organiser opens the follow-up review from the board,
proposes a change of the follow-up rules from it, and the administrator adopts it; no page
scrolls sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDE = "document.documentElement.scrollWidth"


def test_a_change_of_the_follow_up_rules_from_the_review_on_a_phone(
    open_page, sign_in, organiser, admin_user, make_user, make_meeting
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from meetops.followup.ruleset import current_rules
    from meetops.minutes import services
    from meetops.people.services import create_department

    finance = create_department(name="财务处", actor=None)
    owner = make_user("owner", department=finance, display_name="王会计")
    meeting = make_meeting(title="督办测试会")
    services.create_action(
        meeting,
        actor=organiser,
        title="报送差旅预算",
        owner=owner,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    today = timezone.localdate()

    page = open_page(375, 812)
    sign_in(page, organiser.username)
    page.goto("/followup/")
    page.get_by_role("link", name="督办工作回顾").click()
    start, end = (today - timedelta(days=30)).isoformat(), (today + timedelta(days=30)).isoformat()
    page.goto(f"/followup/review/?start={start}&end={end}")
    expect(page.locator("[data-count=items]")).to_have_text("1")
    expect(page.locator("#review-departments")).to_contain_text("财务处")
    assert page.evaluate(WIDE) <= 375

    page.locator("#rules-in-force").get_by_role("link", name="提议修改规则").click()
    page.fill("input[name=escalate_after_days]", "2")
    page.fill("input[name=escalate_leaders_after_days]", "4")
    page.fill("textarea[name=reason]", "逾期两天即报部门负责人")
    assert page.evaluate(WIDE) <= 375
    page.get_by_role("button", name="提出").click()
    expect(page.locator(".flash")).to_contain_text("您的提议已提交")
    expect(page.locator("#rules-proposals")).to_contain_text("逾期两天即报部门负责人")
    assert page.evaluate(WIDE) <= 375

    admin = open_page(375, 812)
    sign_in(admin, admin_user.username)
    admin.goto("/followup/rules/")
    admin.get_by_role("button", name="采纳为新版本").click()
    expect(admin.locator(".flash")).to_contain_text("新规则已生效")
    expect(admin.locator("#rules-current [data-rule=escalate_after_days]")).to_contain_text("2")
    assert admin.evaluate(WIDE) <= 375
    assert (current_rules().version, current_rules().escalate_after_days) == (1, 2)
