"""Saved groups in a real chromium: make a group from the navigation, add members, use it on a meeting."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_make_a_group_and_add_it_to_a_meeting(
    open_page: Any, sign_in: Any, make_user: Any, make_meeting: Any
) -> None:
    from meetops.people import services as people

    wangfang = make_user("wangfang", roles=("organiser",), display_name="王芳")
    make_user("liming", display_name="李明")
    make_user("zhaomin", display_name="赵敏")
    contact = people.create_contact(name="马建国", actor=None, organisation="华东师范大学")
    meeting = make_meeting(actor=wangfang, title="专家论证会", location="报告厅")

    page = open_page(375, 812)
    sign_in(page, "wangfang")
    # The groups page is in the main menu (behind "菜单" on a phone).
    page.locator("label.menu-button").click()
    page.locator("nav.mainnav a[href='/groups/']").click()
    page.locator("#id_name").fill("论证专家组")
    page.locator("#new-group button[type=submit]").click()
    page.wait_for_selector("#add-members")
    assert page.locator("h1").inner_text() == "论证专家组"

    page.locator("#id_users").select_option(label="李明")
    page.locator("#id_contacts").select_option(value=str(contact.pk))
    page.locator("#add-members button[type=submit]").click()
    page.locator(".flash.success").wait_for()
    assert page.locator("#members tbody tr").count() == 2
    assert "马建国" in page.locator("#members").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"/meetings/{meeting.pk}/people/")
    page.locator("#group_group").select_option(label="论证专家组")
    page.locator("#group_role").select_option("observer")
    page.locator("#add-group button").click()
    page.locator(".flash.success").wait_for()
    table = page.locator("#participants").inner_text()
    assert "李明" in table and "马建国" in table and "赵敏" not in table
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert set(meeting.participants.filter(role="observer").values_list("name", flat=True)) == {
        "李明",
        "马建国",
    }
