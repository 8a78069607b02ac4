"""Issue 16 finding 17(d): filing a meeting takes seconds (rendering every document to PDF), so
the page asks the worker and returns at once; the page shows how far the filing got and opens
the dossier when it is done, in a real chromium on a phone."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_filing_shows_its_progress_then_the_dossier(open_page, sign_in, organiser, make_meeting):
    from playwright.sync_api import expect

    from meetops.meetings.models import Meeting
    from meetops.records.jobs import run_queued_filings
    from meetops.records.models import Dossier, FilingRun

    meeting = make_meeting(title="年度档案工作会议")
    Meeting.objects.filter(pk=meeting.pk).update(stage="concluded")
    page = open_page(width=375, height=740)
    sign_in(page, "organiser")
    page.goto(f"/archive/meetings/{meeting.pk}/")
    page.locator("#file-meeting button").click()
    # The request returns at once: the page says the filing waits for the worker, and polls.
    expect(page.locator("#filing")).to_have_attribute("data-status", "queued")
    expect(page.locator("#file-meeting")).to_have_count(0)
    assert FilingRun.objects.count() == 1 and not Dossier.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The worker files; the page's next poll shows the whole page again: the dossier.
    assert run_queued_filings() == 1
    page.wait_for_url("**/archive/dossiers/*/", timeout=15000)
    assert Dossier.objects.filter(meeting=meeting).exists()
    expect(page.locator("#filing")).to_have_count(0)
    expect(page.locator(".flash").first).to_contain_text("已归档")
