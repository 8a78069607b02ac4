"""What waits on a person, on a 375-px phone (issue 16 finding 2, ADR 0021): the dashboard's
"待我处理", the badge on the menu button and on the menu's entry, and the inbox show the same
count, and nothing sticks out sideways."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_dashboard_badge_and_inbox_agree_on_a_phone(
    open_page: Any, sign_in: Any, make_user: Any, organiser: Any
) -> None:
    from playwright.sync_api import expect

    from meetops.improvement.services.cases import nominate_case

    make_user("lingdao", roles=("leader",))
    for title in ("兄弟单位经验：会前材料清单", "兄弟单位经验：会后一周印发纪要"):
        nominate_case(
            actor=organiser,
            title=title,
            summary="摘要",
            success_factors="要点",
            source="兄弟单位",
            submit=True,
        )

    page = open_page(width=375, height=812)
    with page.expect_response(lambda r: "/approvals/badge/" in r.url):
        sign_in(page, "lingdao")
    stat = page.locator(".stat[data-waiting]")
    expect(stat.locator("b")).to_have_text("2")
    expect(stat).to_contain_text("待我处理")
    expect(page.locator("#waiting li")).to_have_count(2)
    # The phone's menu button carries the count; the menu's entry too, once opened.
    expect(page.locator("label.menu-button #menu-count")).to_have_text("2")
    page.click("label.menu-button")
    entry = page.locator(".mainnav a", has_text="待我处理")
    expect(entry.locator(".menu-badge")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    entry.click()
    page.wait_for_url("**/approvals/")
    expect(page.locator("#waiting li")).to_have_count(2)
    expect(page.locator("#waiting")).to_contain_text("兄弟单位经验：会前材料清单")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
