"""Drag an agenda item to a new place in a real chromium and watch the times recompute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = "#agenda-editor tbody tr[data-item-id]"


def test_dragging_an_item_reorders_the_agenda_and_recomputes_times(
    open_page, sign_in, organiser, make_meeting
):
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

    page = open_page()
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/agenda/")
    times = page.locator(f"{ROWS} td.agenda-time")
    titles = page.locator(f"{ROWS} .agenda-title")
    expect(times).to_have_text(["09:00–09:10", "09:10–09:40", "09:40–10:25"])

    # Drop "讨论" on the upper edge of the first row: it becomes the first item.
    page.locator(f"tr[data-item-id='{third.pk}']").drag_to(
        page.locator(f"tr[data-item-id='{first.pk}']"), target_position={"x": 40, "y": 3}
    )
    expect(titles).to_have_text(["讨论", "开场", "报告"])
    expect(times).to_have_text(["09:00–09:45", "09:45–09:55", "09:55–10:25"])
    saved = AgendaItem.objects.filter(meeting=meeting).order_by("order")
    assert list(saved.values_list("title", flat=True)) == ["讨论", "开场", "报告"]

    # The keyboard fallback: move "报告" up with its button; the overrun banner stays away.
    page.locator(f"tr[data-item-id='{second.pk}'] button[value=up]").click()
    expect(titles).to_have_text(["讨论", "报告", "开场"])
    expect(times.nth(2)).to_have_text("10:15–10:25")
    expect(page.locator(".agenda-warnings")).to_have_count(0)
