"""The three walks of issue 16 — prepare, run, after — on the demo organisation in chromium.

Each walk is what its people do, with the forms they fill, and every page of the stage's area
on the meeting page visited on the way; every page is held to tests/browser/walking.py (no
sideways scrolling, no console error, no untranslated text). At 1366 px and 375 px in
Simplified Chinese; the after walk also in Traditional Chinese and English (spot checks).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.browser.walking import Walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1366, 375]


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    from meetops.core.demo import load_demo

    return load_demo()


@pytest.fixture
def walker(open_page: Any, sign_in: Any) -> Any:
    """walker(username, width, language) → a signed-in Walk in that person's language."""

    def start(username: str, width: int, language: str = "zh-hans") -> Walk:
        from meetops.core.demo import DEMO_PASSWORD
        from meetops.people.models import User

        User.objects.filter(username=username).update(language=language)
        locale = {"zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en-GB"}[language]
        page = open_page(width=width, height=800, locale=locale)
        walk = Walk(page, language)
        sign_in(page, username, DEMO_PASSWORD)
        walk.check("the dashboard")
        return walk

    return start


def _area(walk: Walk, meeting_pk: int, area: str) -> list[str]:
    walk.visit(f"/meetings/{meeting_pk}/")
    return walk.visit_all(f"details[data-area={area}] nav.area-links")


@pytest.mark.parametrize("width", WIDTHS)
def test_prepare_a_meeting_from_an_empty_form_to_answered_invitations(
    walker: Any, demo: Any, width: int
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from meetops.agenda.models import AgendaItem
    from meetops.invitations.models import Invitation
    from meetops.meetings.models import Meeting

    organiser = walker("wangfang", width)
    page = organiser.visit("/meetings/new/")
    # An empty form is refused field by field, in Chinese, with nothing typed lost.
    page.fill("#id_goals", "部署年终总结")
    page.locator("form button[type=submit]").last.click()
    organiser.check("the refused form")
    expect(page.locator("#id_goals")).to_have_value("部署年终总结")
    expect(page.locator(".errorlist").first).to_contain_text("必填")
    start = timezone.localtime() + timedelta(days=5)
    page.fill("#id_title", "年终工作总结部署会")
    page.fill("#id_start", start.strftime("%Y-%m-%dT14:00"))
    page.fill("#id_end", start.strftime("%Y-%m-%dT16:00"))
    page.fill("#id_location", "行政楼三楼会议室")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/meetings/*/")
    meeting = Meeting.objects.get(title="年终工作总结部署会")
    organiser.check("the new meeting")
    expect(page.locator("#essentials")).to_contain_text("行政楼三楼会议室")

    # Every page of the preparing area, on the demo's meeting in preparation.
    preparing = demo.meetings["digital_campus"]
    visited = _area(organiser, preparing.pk, "prepare")
    assert f"/meetings/{preparing.pk}/people/" in visited
    organiser.visit(f"/meetings/{preparing.pk}/agenda/")

    # The agenda of the new meeting: one item, its time computed.
    page = organiser.visit(f"/meetings/{meeting.pk}/agenda/")
    form = page.locator("#agenda-form form")
    form.locator("input[name=title]").fill("总结讲话")
    form.locator("input[name=duration_minutes]").fill("30")
    form.locator("button[type=submit]").click()
    expect(page.locator("#agenda-editor .agenda-title")).to_contain_text(["总结讲话"])
    organiser.check("the agenda after adding an item")
    assert AgendaItem.objects.filter(meeting=meeting, title="总结讲话").exists()

    # An invitee answers on a phone, from the link in their invitation.
    invitation = Invitation.objects.filter(meeting=preparing, response="").first()
    assert invitation is not None, "the demo's meeting in preparation has no open invitation"
    phone = walker("liuyang", 375)
    page = phone.visit(f"/rsvp/{invitation.token}")
    page.locator("input[name=response][value=accept]").check()
    page.locator("#rsvp-form button[type=submit]").click()
    page.wait_for_selector("#rsvp-status")
    phone.check("the answered invitation")
    invitation.refresh_from_db()
    assert invitation.response == "accept"


@pytest.mark.parametrize("width", WIDTHS)
def test_run_a_meeting_at_the_door_and_in_the_room(walker: Any, demo: Any, width: int) -> None:
    from playwright.sync_api import expect

    from meetops.attendance.models import SignIn
    from meetops.invitations.models import Invitation
    from meetops.invitations.services.invitations import send_invitations
    from meetops.live.models import ItemTiming
    from meetops.minutes.models import Minutes
    from meetops.people.models import User

    running = demo.meetings["exam_coordination"]  # in progress: huanglei organises and hosts
    if not Invitation.objects.filter(meeting=running).exists():
        send_invitations(running, actor=User.objects.get(username="huanglei"), to="all")
    items = list(running.agenda_items.order_by("order", "id"))
    untimed = [i for i in items if not ItemTiming.objects.filter(item=i).exists()]
    code = Invitation.objects.get(meeting=running, participant__user__username="liuyang")
    host = walker("huanglei", width)
    visited = _area(host, running.pk, "during")
    assert f"/meetings/{running.pk}/signin/" in visited

    # At the door: the scanner types liuyang's code; the desk counts him in.
    page = host.visit(f"/meetings/{running.pk}/signin/")
    signed = int(page.locator("#count-signed").inner_text())
    page.locator("#scan-input").fill(code.checkin_code)
    page.keyboard.press("Enter")
    expect(page.locator("#count-signed")).to_have_text(str(signed + 1))
    host.check("the desk after a sign-in")
    assert SignIn.objects.filter(meeting=running, participant=code.participant).exists()

    # In the room: the demo's meeting is running; the host moves on to the next item.
    page = host.visit(f"/meetings/{running.pk}/live/")
    expect(page.locator("#live-state")).to_have_text("进行中")
    page.locator("#btn-next").click()
    expect(page.locator("#current-title")).to_contain_text(untimed[0].title)
    host.check("the console with the next item running")

    # The recorder writes the first item's notes as it runs.
    recorder = walker("linna", width)
    page = recorder.visit(f"/meetings/{running.pk}/minutes/")
    expect(page.locator("#s0-title")).to_have_value(items[0].title)
    page.fill("#s0-notes", "明确了监考安排")
    page.click("button[name=save-minutes]")
    expect(page.locator("#minutes-editor .flash")).to_contain_text("会议纪要已保存")
    recorder.check("the saved minutes")
    sections = Minutes.objects.get(meeting=running).sections.all()
    assert [s.notes for s in sections if s.notes] == ["明确了监考安排"]


@pytest.mark.parametrize(
    ("width", "language"), [(1366, "zh-hans"), (375, "zh-hans"), (1366, "zh-hant"), (375, "en")]
)
def test_after_the_meeting_report_follow_up_and_archive(
    walker: Any, demo: Any, width: int, language: str
) -> None:
    following_up = demo.meetings["q3_review"]
    organiser = walker("wangfang", width, language)
    after = _area(organiser, following_up.pk, "after")
    archive = _area(organiser, following_up.pk, "archive")
    assert after and archive
    for url in ("/actions/", "/followup/", "/approvals/"):
        organiser.visit(url)

    leader = walker("liming", width, language)
    leader.visit("/approvals/")
    leader.visit("/")
