"""The host presses start and next on a 375-px phone while the projector's timer shows the item."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_host_on_a_phone_drives_the_timer(open_page, sign_in, make_user, organiser, make_meeting):
    from playwright.sync_api import expect

    from meetops.agenda import services as agenda
    from meetops.live.models import ItemTiming
    from meetops.meetings.models import Meeting
    from meetops.meetings.services import add_participant

    host = make_user("host")
    meeting = make_meeting(title="现场推进会", location="第一会议室")
    add_participant(meeting, actor=organiser, user=host, role="host")
    agenda.replace_agenda(
        meeting,
        items=[
            {"title": "开场致辞", "duration_minutes": 5},
            {"title": "工作汇报", "duration_minutes": 15},
        ],
        actor=organiser,
    )
    Meeting.objects.filter(pk=meeting.pk).update(stage="in_progress")

    projector = open_page(width=1280, height=720)
    sign_in(projector, organiser.username)
    projector.goto(f"/meetings/{meeting.pk}/live/timer")
    expect(projector.locator("#timer")).to_have_attribute("data-phase", "idle")

    phone = open_page(width=375, height=740)
    sign_in(phone, host.username)
    phone.goto(f"/meetings/{meeting.pk}/live/")
    phone.locator("#btn-next").click()  # "Start": the first item
    expect(phone.locator("#current-title")).to_contain_text("开场致辞")
    expect(projector.locator("#timer-title")).to_have_text("开场致辞", timeout=5000)
    expect(projector.locator("#timer-clock")).to_contain_text("0")

    phone.locator("#btn-next").click()
    expect(phone.locator("#current-title")).to_contain_text("工作汇报")
    expect(projector.locator("#timer-title")).to_have_text("工作汇报", timeout=5000)
    assert ItemTiming.objects.filter(meeting=meeting, ended_at__isnull=False).count() == 1
    # The console fits the phone: nothing sticks out sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
