"""Drag an agenda item to a new place in a real chromium and watch the times recompute.

Self-contained (its own browser fixture) so it does not depend on another
branch's tests/browser/conftest.py; the fixtures can be merged into it later.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("MEETOPS_CHROMIUM", "/usr/bin/chromium"))
# Playwright's sync API runs an event loop in this thread; set-up uses the ORM synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason=f"{CHROMIUM} is not installed"
    ),
]


@pytest.fixture
def agenda_page(live_server: Any, client: Any) -> Iterator[Any]:
    """`open(user, path)`: a chromium page signed in as `user` (session cookie from the test client)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def open_as(user: Any, path: str) -> Any:
            client.force_login(user)
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(15_000)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            page.goto(path)
            return page

        yield open_as
        browser.close()
        # While Playwright's loop runs, the ORM uses a connection of its own (asgiref context);
        # close it here, or PostgreSQL cannot drop the test database at the end.
        connections.close_all()


def _times(page: Any) -> list[str]:
    return page.locator("#agenda-editor tbody tr[data-item-id] td.agenda-time").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_dragging_an_item_reorders_the_agenda_and_recomputes_times(
    agenda_page, organiser, make_meeting
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from meetops.agenda import services
    from meetops.agenda.models import AgendaItem

    nine = (timezone.localtime() + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    meeting = make_meeting(title="拖拽测试会", start=nine, hours=2)
    first, second, third = services.replace_agenda(
        meeting,
        items=[
            {"title": "开场", "duration_minutes": 10},
            {"title": "报告", "duration_minutes": 30},
            {"title": "讨论", "duration_minutes": 45},
        ],
        actor=organiser,
    ).items

    page = agenda_page(organiser, f"/meetings/{meeting.pk}/agenda/")
    assert [t.split()[0] for t in _times(page)] == ["09:00–09:10", "09:10–09:40", "09:40–10:25"]

    # Drop "讨论" on the upper half of the first row: it becomes the first item.
    source = page.locator(f"tr[data-item-id='{third.pk}']")
    target = page.locator(f"tr[data-item-id='{first.pk}']")
    source.drag_to(target, target_position={"x": 40, "y": 3})

    titles = page.locator("#agenda-editor tbody tr[data-item-id] .agenda-title")
    expect(titles).to_have_text(["讨论", "开场", "报告"])
    expect(page.locator("#agenda-editor tbody tr[data-item-id] td.agenda-time")).to_have_text(
        ["09:00–09:45", "09:45–09:55", "09:55–10:25"]
    )
    assert list(
        AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("title", flat=True)
    ) == [
        "讨论",
        "开场",
        "报告",
    ]

    # The keyboard fallback: move "报告" up with its button.
    page.locator(f"tr[data-item-id='{second.pk}'] button[value=up]").click()
    expect(titles).to_have_text(["讨论", "报告", "开场"])
    expect(
        page.locator("#agenda-editor tbody tr[data-item-id] td.agenda-time").nth(2)
    ).to_have_text("10:15–10:25")
