"""Issue 16 finding 17(d): filing a meeting takes seconds; while it runs the page says so and
the button cannot be pressed twice, in a real chromium."""

from __future__ import annotations

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
    # Stop the first filing in the page, after the page's own handlers saw it, as a slow
    # filing would still be running: what does the person see meanwhile?
    page.evaluate(
        "document.addEventListener('submit', function (e) { e.preventDefault(); }, {once: true})"
    )
    note = page.locator("#file-meeting [data-busy-note]")
    expect(note).to_be_hidden()
    page.locator("#file-meeting button").click()
    expect(note).to_be_visible()
    expect(page.locator("#file-meeting button")).to_be_disabled()
    assert page.locator("#file-meeting").get_attribute("aria-busy") == "true"
    assert not Dossier.objects.filter(meeting=meeting).exists()
    # Sent for real, the busy form still files (disabling the button loses nothing).
    page.reload()
    page.locator("#file-meeting button").click()
    page.wait_for_url("**/archive/dossiers/*/")
    assert Dossier.objects.filter(meeting=meeting).exists()
