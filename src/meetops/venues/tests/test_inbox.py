""" "Waiting for me" shows bookings awaiting approval to the people who approve them."""

from __future__ import annotations

import pytest

from meetops.core.inbox import waiting_for
from meetops.venues.services.booking import approve_booking, book_room

pytestmark = pytest.mark.django_db


def test_a_pending_booking_waits_for_the_room_administrators(
    organiser, member, outsider, make_user, make_meeting, make_room, at, client, api_as
):
    approver = make_user("approver", roles=("staff",))
    admin = make_user("sysadmin", roles=("admin",))
    room = make_room("报告厅", requires_approval=True, administrators=[approver])
    meeting = make_meeting(title="年度总结会")
    pending = book_room(room, meeting=meeting, start=at(0, 9), end=at(0, 10), actor=organiser)
    assert [(i.kind, i.meeting) for i in waiting_for(approver)] == [("booking", meeting)]
    assert [i.kind for i in waiting_for(admin)] == ["booking"]
    # The organiser who asked, and people with nothing to do with the room, see nothing.
    assert (
        waiting_for(organiser) == [] and waiting_for(member) == [] and waiting_for(outsider) == []
    )
    client.force_login(approver)
    page = client.get("/approvals/").content.decode()
    assert 'data-kind="booking"' in page and "年度总结会 · 报告厅" in page
    rows = api_as(approver).get("/api/v1/approvals").json()
    assert [(r["kind"], r["meeting_id"], r["url"]) for r in rows] == [
        ("booking", meeting.pk, "/venues/approvals")
    ]
    approve_booking(pending, actor=approver)
    assert waiting_for(approver) == []


def test_the_booker_never_sees_their_own_pending_booking(
    organiser, make_user, make_meeting, make_room, at
):
    # The booker became one of the room's administrators after asking: the flow would let them
    # confirm it, but it is not someone else's request waiting for them.
    approver = make_user("approver", roles=("staff",))
    room = make_room("报告厅", requires_approval=True, administrators=[approver])
    meeting = make_meeting(title="年度总结会")
    book_room(room, meeting=meeting, start=at(0, 9), end=at(0, 10), actor=organiser)
    room.administrators.add(organiser)
    assert waiting_for(organiser) == []
    assert [i.kind for i in waiting_for(approver)] == ["booking"]
