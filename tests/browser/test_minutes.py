"""At 375 px in a real chromium: the recorder writes a decision, submits; the host approves."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_recorder_writes_a_decision_and_the_host_approves_on_a_phone(
    open_page, sign_in, organiser, make_user, make_meeting
):
    from playwright.sync_api import expect

    from meetops.agenda import services as agenda
    from meetops.meetings.services import add_participant
    from meetops.minutes.models import Decision, Minutes

    host, recorder = make_user("host"), make_user("recorder")
    meeting = make_meeting(title="手机纪要测试会")
    add_participant(meeting, actor=organiser, user=host, role="host")
    add_participant(meeting, actor=organiser, user=recorder, role="recorder")
    agenda.replace_agenda(
        meeting, items=[{"title": "预算讨论", "duration_minutes": 30}], actor=organiser
    )

    page = open_page(375, 812)
    sign_in(page, recorder.username)
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator("details[data-area=after] > summary").click()  # 会后: one tap away on a draft
    page.get_by_role("link", name="会议纪要").click()
    expect(page.locator("#s0-title")).to_have_value("预算讨论")
    page.fill("#s0-notes", "讨论了差旅预算")
    page.fill("#s0-d0-text", "同意增加差旅预算")
    page.fill("input[name=s0-d0-for]", "七")  # not a number: refused, nothing lost
    page.click("button[name=save-minutes]")
    expect(page.locator("#minutes-editor .flash.error")).to_contain_text("票数须为不小于 0 的整数")
    expect(page.locator("#s0-d0-text")).to_have_value("同意增加差旅预算")
    page.fill("input[name=s0-d0-for]", "7")
    page.click("button[name=save-minutes]")
    expect(page.locator("#minutes-editor .flash")).to_contain_text("会议纪要已保存")
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.reload()
    page.click("button[name=submit-minutes]")
    expect(page.locator(".minutes-state")).to_have_text("已提交审阅")

    host_page = open_page(375, 812)
    sign_in(host_page, host.username)
    host_page.goto(f"/meetings/{meeting.pk}/minutes/")
    expect(host_page.locator("#s0-d0-text")).to_have_value("同意增加差旅预算")
    host_page.click("button[name=approve-minutes]")
    expect(host_page.locator(".minutes-state")).to_have_text("已审定")
    expect(host_page.locator(".minutes-document")).to_contain_text("赞成 7")

    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.state, minutes.approved_by_id) == ("approved", host.pk)
    assert Decision.objects.get(section__minutes=minutes).votes_for == 7
