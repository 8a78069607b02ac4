"""At 375 px in a real chromium: a department head opens their department's board, sees the
overdue item, gives it to a colleague, and finds their task feed and their figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_head_gives_out_an_overdue_item_from_the_board_on_a_phone(
    open_page, sign_in, organiser, make_user, make_meeting
):
    import re

    from django.utils import timezone
    from playwright.sync_api import expect

    from meetops.minutes import services
    from meetops.minutes.models import ActionItem
    from meetops.people.services import create_department, set_department_heads

    finance = create_department(name="财务处", actor=None)
    head = make_user("head", department=finance)
    owner = make_user("owner", department=finance, display_name="王会计")
    colleague = make_user("colleague", department=finance, display_name="李出纳")
    set_department_heads(finance, heads=[head], actor=None)
    meeting = make_meeting(title="督办测试会")
    action = services.create_action(
        meeting,
        actor=organiser,
        title="报送差旅预算",
        owner=owner,
        due_date=timezone.localdate() - timedelta(days=2),
    )

    page = open_page(375, 812)
    sign_in(page, head.username)
    page.goto("/followup/me/")
    expect(page.get_by_role("textbox", name="任务订阅地址")).to_have_value(
        re.compile(r"/followup/tasks/.+\.ics$")
    )
    page.locator("#headed").get_by_role("link", name="部门看板").click()
    row = page.locator(f"#department-board tr[data-action-id='{action.pk}']")
    expect(row).to_contain_text("逾期")
    expect(page.locator("[data-count=overdue]")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    row.locator("select[name=owner]").select_option(str(colleague.pk))
    row.get_by_role("button", name="分派").click()
    expect(page.locator(".flash")).to_contain_text("事项已分派给新的负责人")
    assert ActionItem.objects.get(pk=action.pk).owner_id == colleague.pk
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
