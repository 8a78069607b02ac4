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


@pytest.mark.parametrize("width", [1366, 375])
def test_the_booking_page_opens_on_the_meetings_time_and_a_moved_meeting_names_what_stayed(
    open_page, sign_in, live_server, organiser, make_meeting, width
):
    """Issue 16, finding 1: the grid shows the meeting's own time (07:15, before the usual
    08:00) with its length chosen; moving the meeting says which room could not follow."""
    from meetops.venues.models import Booking, Building, Site
    from meetops.venues.services.booking import book_room
    from meetops.venues.services.rooms import create_room

    building = Building.objects.create(site=Site.objects.create(name="总部"), name="A座")
    room = create_room(actor=None, name="第一会议室", capacity=12, building=building)
    day = timezone.localdate() + timedelta(days=7)
    start = datetime.combine(
        day, datetime.min.time(), tzinfo=timezone.get_default_timezone()
    ).replace(hour=7, minute=15)
    meeting = make_meeting(title="早间调度会", start=start, hours=2)
    # At the time the meeting will move to, the room is someone else's.
    other = make_meeting(title="安全例会", start=start + timedelta(days=1), hours=3)
    book_room(room, meeting=other, start=other.start, end=other.end, actor=organiser)

    page = open_page(width=width)
    sign_in(page, "organiser")
    page.goto(f"/meetings/{meeting.pk}/")
    page.click(f'#meeting-bookings a[href*="/venues/buildings/{building.pk}/grid"]')
    banner = page.locator("#grid-meeting-time")
    assert "07:15" in banner.inner_text() and "09:15" in banner.inner_text()
    assert page.locator("#grid-duration").input_value() == "120"
    assert page.locator(f'td.in-meeting button[data-room="{room.pk}"][data-time="07:30"]').count()
    whole = page.locator(f'button.book-whole[data-room="{room.pk}"]')
    whole.scroll_into_view_if_needed()
    whole.click()
    page.wait_for_selector(".flash.success")
    booking = Booking.objects.get(meeting=meeting)
    assert (booking.start, booking.end) == (meeting.start, meeting.end)
    if width == 375:  # the controls wrap instead of pushing the page sideways
        box = page.locator("#grid-controls").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375 + 1

    page.goto(f"/meetings/{meeting.pk}/edit/")
    new_start = start + timedelta(days=1)
    page.fill("#id_start", new_start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end", (new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.click("form.card button.primary")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    warning = page.locator(".flash.warning").first
    assert "第一会议室" in warning.inner_text() and "未能随会议调整" in warning.inner_text()
    booking.refresh_from_db()
    assert booking.start == start and booking.not_moved == "booking_conflict"
    # The rooms panel flags it too, not a silent 已确认.
    flagged = page.locator('#meeting-bookings li[data-problem="1"]')
    assert flagged.count() == 1 and "未随会议调整" in flagged.inner_text()
