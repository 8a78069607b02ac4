"""The budget page on a phone (375×812) in a real chromium: record an expense with its receipt."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_record_an_expense_with_a_receipt_on_a_phone(
    open_page: Any, sign_in: Any, organiser: Any, make_user: Any, make_meeting: Any, tmp_path: Any
) -> None:
    from meetops.budget import services
    from meetops.budget.models import Expense

    leader = make_user("leader", roles=("leader",))
    meeting = make_meeting(title="手机报销测试会")
    services.save_budget(
        meeting, lines=[{"category": "catering", "planned": "500.00"}], actor=organiser
    )
    services.submit_budget(meeting, actor=organiser)
    services.approve_budget(meeting, actor=leader)
    receipt = tmp_path / "发票.pdf"
    receipt.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")

    page = open_page(375, 812)
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/")
    page.click(f"a[href='/meetings/{meeting.pk}/budget/']")
    page.select_option("#id_line", index=1)
    page.fill("#id_amount", "120.50")
    page.fill("#id_spent_on", "2026-11-20")
    page.fill("#id_payee", "茶歇供应商")
    page.set_input_files("#id_receipt", str(receipt))
    page.click("#expense-form button[type=submit]")
    page.wait_for_selector("#expenses >> text=茶歇供应商")
    assert page.locator("#figures tfoot").inner_text().count("¥120.50") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Expense.objects.get().receipt_type == "application/pdf"


def test_a_refused_budget_keeps_all_three_lines_on_a_phone(
    open_page: Any, sign_in: Any, organiser: Any, make_meeting: Any
) -> None:
    """Issue 16, finding 7: one "2,000" wiped all three lines. Now it is read as 2000, and a
    line that really cannot be read comes back with everything typed and names its row."""
    from meetops.budget.models import Budget

    meeting = make_meeting(title="手机预算测试会")
    page = open_page(375, 812)
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/budget/")
    rows = page.locator("#lines-editor tbody tr")
    for i, (category, amount, note) in enumerate(
        [
            ("venue", "2,000", "礼堂"),
            ("printing", "两千", "会议手册"),
            ("catering", "３００", "午餐"),
        ]
    ):
        rows.nth(i).locator("select[name=category]").select_option(category)
        rows.nth(i).locator("input[name=planned]").fill(amount)
        rows.nth(i).locator("input[name=note]").fill(note)
    page.click("#lines-editor button[type=submit]")
    page.wait_for_selector("[data-row-errors]")
    assert "第 2 行 预算金额（元）：请填写数字，如 2000。" in page.inner_text("[data-row-errors]")
    kept = [rows.nth(i).locator("input[name=planned]").input_value() for i in range(3)]
    assert kept == ["2,000", "两千", "３００"]
    assert rows.nth(2).locator("input[name=note]").input_value() == "午餐"
    assert rows.nth(1).locator("select[name=category]").input_value() == "printing"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not Budget.objects.filter(meeting=meeting, lines__isnull=False).exists()

    rows.nth(1).locator("input[name=planned]").fill("2 000")
    page.click("#lines-editor button[type=submit]")
    page.wait_for_selector("text=预算已保存")
    budget = Budget.objects.get(meeting=meeting)
    assert [str(x.planned) for x in budget.lines.order_by("order")] == [
        "2000.00",
        "2000.00",
        "300.00",
    ]
