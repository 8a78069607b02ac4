"""Phones and wide screens (issue 16, findings 14–16), on the demo organisation in chromium.

At 375 px and 1366 px, in Simplified Chinese and English: no page scrolls sideways; the wide
tables turn into cards with the field a person acts on in view; the meeting page opens with
the meeting's essentials and what needs doing now, before the areas; the header keeps the
user's name and "Sign out" on screen; English dates read "14 Dec 2026, 14:00".
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OVERFLOW = "document.scrollingElement.scrollWidth - innerWidth"


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    from meetops.core.demo import load_demo

    return load_demo()


def _pages(demo: Any) -> dict[str, str]:
    from meetops.venues.models import Building

    preparing = demo.meetings["digital_campus"]
    following_up = demo.meetings["q3_review"]
    building = Building.objects.order_by("pk").first()
    return {
        "meeting": f"/meetings/{preparing.pk}/",
        "agenda": f"/meetings/{preparing.pk}/agenda/",
        "risks": f"/meetings/{following_up.pk}/risks/",
        "supplies": f"/meetings/{following_up.pk}/supplies/",
        "room week": f"/venues/buildings/{building.pk}/grid?view=week",
        "survey results": f"/meetings/{following_up.pk}/survey/results/",
    }


def _in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return (
        box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [375, 1366])
def test_no_page_scrolls_sideways_and_what_people_act_on_is_in_view(
    open_page: Any, sign_in: Any, demo: Any, width: int, language: str
) -> None:
    from meetops.core.demo import DEMO_PASSWORD
    from meetops.people.models import User

    User.objects.filter(username="wangfang").update(language=language)
    page = open_page(width=width, height=800)
    sign_in(page, "wangfang", DEMO_PASSWORD)
    pages = _pages(demo)
    for name, url in pages.items():
        page.goto(url)
        assert page.evaluate(OVERFLOW) <= 0, f"{name} at {width} px ({language}) scrolls sideways"
    # The fields and buttons a person acts on stay on screen (no scrolling inside a box).
    page.goto(pages["supplies"])
    assert _in_view(page, "#supplies input[name=recovered_quantity]")
    page.goto(pages["agenda"])
    assert _in_view(page, ".agenda-actions a.button")
    title = page.locator(".agenda-title").first.bounding_box()
    assert title is not None and title["width"] > 120  # not one character per line
    page.goto(pages["risks"])
    assert _in_view(page, "#risks tbody tr td:last-child")  # the status, or the edit button
    # The questionnaire's comments: cards on a phone, the category to choose in view.
    page.goto(pages["survey results"])
    assert _in_view(page, "table.comments select[name=category]")
    if width == 375:
        assert page.locator("table.comments thead").is_hidden()
        assert page.locator("table.comments td[data-label]").count() > 0


@pytest.mark.parametrize("width", [375, 1366])
def test_the_running_agenda_on_the_console_is_cards_on_a_phone(
    open_page: Any, sign_in: Any, demo: Any, width: int
) -> None:
    from meetops.core.demo import DEMO_PASSWORD

    running = demo.meetings["exam_coordination"]  # in progress: huanglei hosts it
    page = open_page(width=width, height=800)
    sign_in(page, "huanglei", DEMO_PASSWORD)
    page.goto(f"/meetings/{running.pk}/live/")
    assert page.evaluate(OVERFLOW) <= 0
    assert _in_view(page, ".live-table .card-title")
    title = page.locator(".live-table .card-title").first.bounding_box()
    assert title is not None and title["width"] > 120  # not one character per line
    assert page.locator(".live-table thead").is_hidden() == (width == 375)
    if width == 375:
        assert page.locator(".live-table td[data-label]").count() > 0


@pytest.mark.parametrize("width", [375, 1366])
def test_the_meeting_page_opens_with_its_essentials_and_what_needs_doing_now(
    open_page: Any, sign_in: Any, demo: Any, width: int
) -> None:
    from playwright.sync_api import expect

    from meetops.core.demo import DEMO_PASSWORD

    meeting = demo.meetings["digital_campus"]  # preparing, with required steps open
    page = open_page(width=width, height=800)
    sign_in(page, "wangfang", DEMO_PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    tops = [
        page.locator(selector).bounding_box()["y"]
        for selector in ("#essentials", "#now", "#areas", "#process")
    ]
    assert tops == sorted(tops), tops
    expect(page.locator("#essentials")).to_contain_text(meeting.location)
    expect(page.locator("#now .now-step").first).to_contain_text("负责人")
    # The stage's area is open, the others one tap away.
    expect(page.locator("details[data-area=prepare] a", has_text="风险")).to_be_visible()
    expect(page.locator("details[data-area=after] a").first).to_be_hidden()
    page.locator("details[data-area=after] > summary").click()
    expect(page.locator("details[data-area=after] a").first).to_be_visible()
    if width == 375:
        # Nothing about the meeting waits below a wall of buttons: the essentials are on screen.
        assert page.locator("#essentials").bounding_box()["y"] < 300


@pytest.mark.parametrize("width", [1366, 1440])
def test_the_english_header_keeps_sign_out_on_screen_and_dates_read_day_month_year(
    open_page: Any, sign_in: Any, demo: Any, width: int
) -> None:
    from playwright.sync_api import expect

    from meetops.core.demo import DEMO_PASSWORD
    from meetops.people.models import User

    User.objects.filter(username="wangfang").update(language="en")
    meeting = demo.meetings["digital_campus"]
    page = open_page(width=width, height=800, locale="en-GB")
    sign_in(page, "wangfang", DEMO_PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    assert _in_view(page, ".userbox button")
    assert _in_view(page, ".userbox .who")
    assert page.evaluate(OVERFLOW) <= 0
    when = page.locator("#essentials .when").inner_text()
    assert "a.m." not in when and "p.m." not in when and "/" not in when
    assert meeting.start.strftime("%Y") in when and ":" in when


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_text_with_no_break_opportunity_wraps_instead_of_widening_a_phone_page(
    open_page: Any, sign_in: Any, demo: Any, language: str
) -> None:
    """What people type is not always breakable: a pasted address, a quoted answer in a
    fallback face. It wraps on a phone; the page never scrolls sideways (CI found a quoted
    questionnaire answer 3 px too wide on a machine with other fonts)."""
    from meetops.core.demo import DEMO_PASSWORD
    from meetops.improvement.models import Lesson
    from meetops.people.models import User

    User.objects.filter(username="wangfang").update(language=language)
    meeting = demo.meetings["q3_review"]
    unbroken = "https://intranet.example.cn/" + "x" * 90
    lesson = Lesson.objects.filter(meeting=meeting).order_by("pk").first()
    assert lesson is not None, "the demo's concluded meeting has lessons"
    Lesson.objects.filter(pk=lesson.pk).update(what_happened=unbroken, cause=unbroken)
    page = open_page(width=375, height=800)
    sign_in(page, "wangfang", DEMO_PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/lessons/")
    assert page.get_by_text("x" * 40, exact=False).first.is_visible()
    assert page.evaluate(OVERFLOW) <= 0, f"the lessons page scrolls sideways ({language})"
    # A cell's pieces (what happened, its cause) read as one value beside the label, each
    # line as wide as the card, not as side-by-side columns a few characters wide.
    cause = page.locator(f"#lesson-{lesson.pk} td span.muted.small").first.bounding_box()
    assert cause is not None and cause["width"] > 200, cause
