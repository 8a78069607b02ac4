"""Issue 16 finding 17(a): "find a time and a room" picks people by name or pinyin, not by
typing comma-separated user names, in a real chromium."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_people_are_picked_by_pinyin_and_sent_as_user_names(
    open_page, sign_in, live_server, organiser, make_user
):
    make_user("u1024", display_name="王芳")
    make_user("u2048", display_name="李强")
    page = open_page(locale="zh-CN")
    sign_in(page, "organiser")
    page.goto(f"{live_server.url}/venues/find-a-time")
    # With the script running, the raw user-name field gives way to the search box.
    assert page.locator("#id_required").is_hidden()
    search = page.locator("[data-people-picker]").first.locator("[data-picker-search]")
    search.fill("wangf")
    page.wait_for_selector('[data-pick="u1024"]')
    page.click('[data-pick="u1024"]')
    chips = page.locator("[data-people-picker]").first.locator("[data-picker-chips] li")
    assert chips.count() == 1 and "王芳" in chips.first.inner_text()
    assert page.locator("#id_required").input_value() == "u1024"
    search.fill("lq")
    page.wait_for_selector('[data-pick="u2048"]')
    search.press("Enter")  # picks the first suggestion, does not submit the form
    assert page.locator("#id_required").input_value() == "u1024,u2048"
    chips.first.locator("[data-unpick]").click()
    assert page.locator("#id_required").input_value() == "u2048"
    page.click("#find-a-time button.primary")
    page.wait_for_url("**required=u2048**")
    # The chosen person comes back as a chip, and nobody is reported unknown.
    assert "李强" in page.locator("[data-picker-chips]").first.inner_text()
    assert page.locator(".flash.error").count() == 0
