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
