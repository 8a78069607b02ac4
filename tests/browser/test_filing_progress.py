"""Issue 16 finding 17(d): filing a meeting takes seconds; while it runs the page says so and
the button cannot be pressed twice, in a real chromium."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_filing_shows_that_it_is_under_way(open_page, sign_in, organiser, make_meeting):
    from playwright.sync_api import expect

    from meetops.meetings.models import Meeting
    from meetops.records.models import Dossier

    meeting = make_meeting(title="年度档案工作会议")
    Meeting.objects.filter(pk=meeting.pk).update(stage="concluded")
    page = open_page(width=375, height=740)
    sign_in(page, "organiser")
    page.goto(f"/archive/meetings/{meeting.pk}/")
    held: list[Any] = []
    # Hold the filing request, as a slow filing would, to look at the page meanwhile.
    page.route(
        "**/archive/meetings/*/",
        lambda route: (
            held.append(route) if route.request.method == "POST" else route.continue_()
        ),
    )
    note = page.locator("#file-meeting [data-busy-note]")
    expect(note).to_be_hidden()
    page.locator("#file-meeting button").click()
    expect(note).to_be_visible()
    expect(page.locator("#file-meeting button")).to_be_disabled()
    assert page.locator("#file-meeting").get_attribute("aria-busy") == "true"
    assert len(held) == 1  # the filing request is still under way
    held[0].continue_()
    page.wait_for_url("**/archive/dossiers/*/")
    assert Dossier.objects.filter(meeting=meeting).exists()
