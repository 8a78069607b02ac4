"""End to end: invitations through the outbox and the worker to a real SMTP server, parsed as a client would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest

from meetops.invitations.models import Invitation
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.notifications.worker import Worker

pytestmark = pytest.mark.django_db


def calendar_part(mail: Any) -> tuple[Any, icalendar.Calendar]:
    """The inline text/calendar alternative (the .ics file beside it is application/ics)."""
    (part,) = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    return part, icalendar.Calendar.from_ical(part.get_content())


def test_invitation_update_and_cancel_reach_the_smtp_server(
    smtp, organiser, make_user, guests, django_capture_on_commit_callbacks
):
    meeting = guests(1, title="预算评审会")
    alice = make_user("alice", email="alice@example.org")
    alice.language = "en"
    alice.save(update_fields=["language"])
    meetings.add_participant(meeting, actor=organiser, user=alice)
    invites.send_invitations(meeting, actor=organiser, to="uninvited")
    Worker().run_once()
    by_to = {m["To"]: m for m in smtp.messages}
    assert set(by_to) == {"guest1@example.org", "alice@example.org"}
    assert by_to["alice@example.org"]["Subject"] == "Invitation: 预算评审会"
    assert by_to["guest1@example.org"]["Subject"] == "会议通知：预算评审会"
    token = Invitation.objects.get(participant__user=alice).token
    assert f"/rsvp/{token}" in by_to["alice@example.org"].get_body(("plain",)).get_content()
    assert f"/rsvp/{token}" in by_to["alice@example.org"].get_body(("html",)).get_content()
    part, cal = calendar_part(by_to["alice@example.org"])
    assert part.get_param("method") == "REQUEST"
    (event,) = cal.walk("VEVENT")
    uid = str(event["UID"])
    assert cal["METHOD"] == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"
    assert str(event["ATTENDEE"]) == "mailto:alice@example.org"

    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(meeting, actor=organiser, location="五楼大会议室")
    Worker().run_once()
    update = smtp.messages[-1]
    _, cal = calendar_part(update)
    (event,) = cal.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["LOCATION"])) == (
        uid,
        1,
        "五楼大会议室",
    )

    with django_capture_on_commit_callbacks(execute=True):
        meetings.transition_meeting(meeting, to="cancelled", actor=organiser)
    Worker().run_once()
    cancels = smtp.messages[-2:]
    for mail in cancels:
        part, cal = calendar_part(mail)
        (event,) = cal.walk("VEVENT")
        assert part.get_param("method") == "CANCEL" and cal["METHOD"] == "CANCEL"
        assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert len(smtp.messages) == 2 + 2 + 2


def test_meeting_moved_by_a_day_keeps_uid(
    smtp, organiser, guests, django_capture_on_commit_callbacks
):
    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(
            meeting,
            actor=organiser,
            start=meeting.start + timedelta(days=1),
            end=meeting.end + timedelta(days=1),
        )
    Worker().run_once()
    uids = {str(calendar_part(m)[1].walk("VEVENT")[0]["UID"]) for m in smtp.messages}
    assert len(smtp.messages) == 2 and len(uids) == 1
