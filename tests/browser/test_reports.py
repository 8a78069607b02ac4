"""On a phone: a leader opens "Waiting for me", opens the summary report and approves it with 批示."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_leader_approves_with_instructions_from_the_inbox_on_a_phone(
    open_page, sign_in, organiser, make_user, make_meeting
):
    from playwright.sync_api import expect

    from meetops.reports import services
    from meetops.reports.models import SummaryReport

    leader = make_user("boss", roles=("leader",))
    meeting = make_meeting(title="季度总结会")
    services.save_report(
        meeting, actor=organiser, fields={"title": "季度总结会总结报告", "topics": "1. 预算"}
    )
    services.submit_report(
        SummaryReport.objects.get(meeting=meeting), actor=organiser, leaders=[leader]
    )

    page = open_page(width=375, height=740)
    sign_in(page, leader.username)
    page.goto("/approvals/")
    item = page.locator("li[data-kind=report]")
    expect(item).to_have_count(1)
    item.get_by_role("link", name="季度总结会").click()
    page.locator("#id_instructions").fill("抓紧落实\n按月汇报")
    page.get_by_role("button", name="同意").click()
    expect(page.get_by_text("目前没有待您处理的事项。")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    report = SummaryReport.objects.get(meeting=meeting)
    assert report.state == "approved"
    assert list(report.instructions.values_list("text", flat=True)) == ["抓紧落实", "按月汇报"]
