"""Seat a person by tapping: first the person, then the seat (htmx), on a 375-px phone and on a desktop."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _meeting_with_plan(make_meeting, organiser):
    from meetops.meetings import services as meeting_services
    from meetops.seating import services

    meeting = make_meeting(title="座次测试会")
    people = [("张主任", "host"), ("李代表", "participant")]
    for i, (name, role) in enumerate(people, start=1):
        meeting_services.add_participant(
            meeting,
            actor=organiser,
            role=role,
            name=name,
            email=f"s{i}@example.org",
            organisation="办公室",
        )
    plan = services.create_plan(meeting, actor=organiser, size=services.GridSize(1, 3, 4, 12, (7,)))
    return meeting, plan


@pytest.fixture
def touch_page(browser, live_server):
    """A phone: 375 px wide, touch events (tap), as the organiser's phone at the venue."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
        locale="zh-CN",
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", [375, 1280], ids=["phone", "desktop"])
def test_tap_a_person_then_a_seat(request, open_page, sign_in, organiser, make_meeting, width):
    from playwright.sync_api import expect

    from meetops.seating.models import Seat, SeatAssignment

    meeting, plan = _meeting_with_plan(make_meeting, organiser)
    phone = width < 800
    page = request.getfixturevalue("touch_page") if phone else open_page(width=width, height=800)
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="座次").first.click()
    expect(page.locator("#seat-form")).to_be_visible()
    # The page itself never scrolls sideways; the seat map scrolls inside its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    person = page.locator("input[name=participant][data-name='李代表']")
    seat = page.locator("button.seat[data-seat='audience-2-10']")
    if phone:
        person.locator("xpath=..").tap()
        seat.scroll_into_view_if_needed()
        seat.tap()
    else:
        person.locator("xpath=..").click()
        seat.click()
    expect(page.locator("#board-result")).to_contain_text("第2排 第9座")
    expect(page.locator("button.seat[data-seat='audience-2-10']")).to_contain_text("李代表")
    assigned = SeatAssignment.objects.select_related("seat", "participant").get(plan=plan)
    assert (assigned.participant.name, assigned.seat.row, assigned.seat.col) == ("李代表", 2, 10)
    assert assigned.seat == Seat.objects.get(plan=plan, section="audience", row=2, col=10)

    # Keyboard only: focus the radio, Space, then Tab to a seat and Enter.
    page.locator("input[name=participant][data-name='张主任']").focus()
    page.keyboard.press("Space")
    page.locator("button.seat[data-seat='rostrum-1-2']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("button.seat[data-seat='rostrum-1-2']")).to_contain_text("张主任")
