"""The bell in a real chromium: a new notification shows as the unread count; reading it clears the count."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_bell_counts_unread_and_marking_read_clears_it(
    open_page: Any, sign_in: Any, make_user: Any, make_meeting: Any
) -> None:
    from django.db import transaction
    from playwright.sync_api import expect

    from meetops.notifications import services
    from meetops.notifications.worker import Worker

    alice = make_user("alice", email="alice@example.org")
    meeting = make_meeting(title="党委会（第5次）", location="第一会议室")
    # The real path: an outbox row for the bell, delivered by the worker.
    with transaction.atomic():
        services.enqueue(
            event="meeting.changed",
            recipients=[alice],
            meeting=meeting,
            context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
            channels=["inapp"],
        )
    Worker().run_once(with_jobs=False)

    page = open_page()
    sign_in(page, "alice")
    bell = page.locator("a.bell .bell-count")
    bell.filter(has_text="1").wait_for()

    page.click("a.bell")
    page.wait_for_url("**/notifications/")
    item = page.locator("li.unread", has_text="党委会（第5次）")
    item.wait_for()
    item.get_by_role("button", name="标为已读").click()
    # The item is read, and the bell on the same page has no count any more.
    page.locator("li:not(.unread)", has_text="党委会（第5次）").wait_for()
    expect(bell).to_have_text("")  # a locator wait: wait_for_function's string is eval (CSP)
    assert "badge" not in (bell.get_attribute("class") or "")

    # A fresh page asks the server for the count (hx-trigger "load") and gets none.
    with page.expect_response(lambda r: "/notifications/bell/" in r.url):
        page.goto("/")
    page.wait_for_load_state("networkidle")
    assert bell.inner_text().strip() == ""
