"""Invitation mails and their .ics: METHOD, UID, SEQUENCE, VTIMEZONE, ORGANIZER/ATTENDEE, languages, escaping."""

from __future__ import annotations

import base64
from datetime import timedelta

import icalendar
import pytest

from meetops.core.errors import ValidationFailed
from meetops.invitations.services import invitations as invites
from meetops.invitations.services.templates import save_template
from meetops.meetings import services as meetings

pytestmark = pytest.mark.django_db


def ics_of(row) -> icalendar.Calendar:
    (attachment,) = row.attachments
    assert attachment["mimetype"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(base64.b64decode(attachment["content_b64"]))


def event_of(cal: icalendar.Calendar) -> icalendar.Event:
    (event,) = cal.walk("VEVENT")
    return event


def test_invitation_ics_is_a_request_with_timezone_and_attendee(organiser, guests, outbox_mails):
    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    (row,) = outbox_mails()
    cal = ics_of(row)
    event = event_of(cal)
    assert cal["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTSTART"].dt == meeting.start and event["DTEND"].dt == meeting.end
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]).startswith("mailto:")
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:guest1@example.org"
    assert attendee.params["CN"] == "嘉宾1" and attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert row.event == "meeting.invited"


def test_change_sends_update_with_same_uid_and_next_sequence_then_cancel(
    organiser, guests, outbox_mails, django_capture_on_commit_callbacks
):
    meeting = guests(2)
    invites.send_invitations(meeting, actor=organiser, to="all")
    first = event_of(ics_of(outbox_mails("guest1@example.org")[0]))
    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(
            meeting,
            actor=organiser,
            start=meeting.start + timedelta(hours=1),
            end=meeting.end + timedelta(hours=1),
        )
    update = outbox_mails("guest1@example.org")[-1]
    updated = event_of(ics_of(update))
    assert updated["UID"] == first["UID"]
    assert int(updated["SEQUENCE"]) == 1
    assert updated["DTSTART"].dt == meeting.start + timedelta(hours=1)
    assert update.event == "meeting.changed" and "更新" in update.subject

    # A change nobody's calendar shows (the goals) sends nothing.
    count = len(outbox_mails())
    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(meeting, actor=organiser, goals="新目标")
    assert len(outbox_mails()) == count

    with django_capture_on_commit_callbacks(execute=True):
        meetings.transition_meeting(meeting, to="cancelled", actor=organiser)
    cancel = outbox_mails("guest2@example.org")[-1]
    cal = ics_of(cancel)
    assert cal["METHOD"] == "CANCEL"
    assert event_of(cal)["UID"] == first["UID"] and int(event_of(cal)["SEQUENCE"]) == 2
    assert event_of(cal)["STATUS"] == "CANCELLED"


def test_mail_is_in_the_recipients_language(organiser, make_user, make_meeting, outbox_mails):
    english = make_user("alice", email="alice@example.org")
    traditional = make_user("chan", email="chan@example.org")
    for user, language in ((english, "en"), (traditional, "zh-hant")):
        user.language = language
        user.save(update_fields=["language"])
    meeting = make_meeting(title="季度会", location="A")
    for user in (english, traditional):
        meetings.add_participant(meeting, actor=organiser, user=user)
    meetings.add_participant(meeting, actor=organiser, name="访客", email="guest@example.org")
    invites.send_invitations(meeting, actor=organiser, to="all")
    assert outbox_mails("alice@example.org")[0].subject == "Invitation: 季度会"
    assert outbox_mails("chan@example.org")[0].subject == "會議通知：季度会"
    assert outbox_mails("guest@example.org")[0].subject == "会议通知：季度会"


def test_template_placeholders_are_substituted_not_executed(organiser, guests, outbox_mails):
    meeting = guests(1, title="<script>alert(1)</script>")
    save_template(
        actor=organiser,
        kind=meeting.kind,
        language="zh-hans",
        subject="请参加 {{ meeting.title }}",
        body="{% load static %}{{ person.name }}, <b>{{ meeting.title }}</b> {{ link }}",
    )
    invites.send_invitations(meeting, actor=organiser, to="all")
    (row,) = outbox_mails()
    assert row.subject == "请参加 <script>alert(1)</script>"
    assert "<script>" not in row.html and "&lt;script&gt;" in row.html
    assert "&lt;b&gt;" in row.html and "{% load static %}" in row.body
    assert '<a href="http' in row.html and "/rsvp/" in row.html


def test_unknown_placeholder_is_refused(organiser):
    with pytest.raises(ValidationFailed) as error:
        save_template(
            actor=organiser,
            kind=None,
            language="en",
            subject="Hi",
            body="{{ settings.SECRET_KEY }}",
        )
    assert error.value.code == "unknown_placeholder"
    assert error.value.details["placeholders"] == ["settings.SECRET_KEY"]


def test_reminders_go_only_to_those_who_have_not_answered(organiser, guests, outbox_mails):
    meeting = guests(3)
    invites.send_invitations(meeting, actor=organiser, to="all")
    token = meeting.invitations.get(participant__email="guest1@example.org").token
    invites.respond(invites.get_invitation_by_token(token), response="accept")
    assert invites.remind_non_responders(meeting, actor=organiser) == 2
    reminded = {m.address for m in outbox_mails() if m.event == "rsvp.deadline"}
    assert reminded == {"guest2@example.org", "guest3@example.org"}
