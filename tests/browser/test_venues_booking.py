"""Book a room from the building's calendar grid, in a real chromium."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_book_a_room_by_clicking_a_free_slot(
    open_page, sign_in, live_server, organiser, make_meeting
):
    from meetops.venues.models import Booking, Building, Site
    from meetops.venues.services.rooms import create_room

    building = Building.objects.create(site=Site.objects.create(name="总部"), name="A座")
    room = create_room(actor=None, name="第一会议室", capacity=12, building=building)
    day = timezone.localdate() + timedelta(days=7)
    start = datetime.combine(
        day, datetime.min.time(), tzinfo=timezone.get_default_timezone()
    ).replace(hour=14)
    meeting = make_meeting(title="季度复盘会", start=start, hours=1)

    page = open_page(locale="en-GB")
    sign_in(page, "organiser")
    page.goto(f"{live_server.url}/venues/buildings/{building.pk}/grid?date={day.isoformat()}")
    page.select_option("#grid-meeting", str(meeting.pk))
    page.select_option("#grid-duration", "90")
    page.click(f'button[data-room="{room.pk}"][data-time="14:00"]')
    # htmx swaps the grid: the booked cells turn busy and a message confirms it.
    page.wait_for_selector(".flash.success")
    assert page.locator("td.busy").count() == 3
    booking = Booking.objects.get()
    assert (booking.room_id, booking.meeting_id, booking.status) == (
        room.pk,
        meeting.pk,
        "confirmed",
    )
    assert booking.end - booking.start == timedelta(minutes=90)
    # Clicking a slot that is taken is no longer possible; a neighbouring one that overlaps is refused.
    page.click(f'button[data-room="{room.pk}"][data-time="13:30"]')
    page.wait_for_selector(".flash.error")
    assert Booking.objects.count() == 1
    # The refusal (409) shows in the page's flash area, the grid stays as it was; a second
    # refusal replaces the first message rather than piling up.
    refusal = page.locator("#main > .flash.error[data-boundary]")
    assert refusal.count() == 1 and refusal.get_attribute("data-code")
    assert page.locator("td.busy").count() == 3
    page.click(f'button[data-room="{room.pk}"][data-time="13:30"]')
    page.wait_for_timeout(500)
    assert page.locator("#main > .flash.error[data-boundary]").count() == 1
