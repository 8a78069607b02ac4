"""Calendar mail as clients see it, and attendees' calendar replies (iMIP REPLY) becoming answers.

Invitations go through the worker to a real SMTP server and are parsed with the
stdlib `email` package and `icalendar`; replies are built as Outlook builds
them and sent with smtplib to MeetOps's own listener (SMTP and LMTP).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import icalendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from meetops.core.models import AuditEntry
from meetops.invitations.ics import reply_tag
from meetops.invitations.inbound import ReplyController
from meetops.invitations.models import CalendarReply, Invitation
from meetops.invitations.services import invitations as invites
from meetops.invitations.services.replies import receive_calendar_reply
from meetops.meetings import services as meetings
from meetops.notifications.senders.email import build_message
from meetops.notifications.tests.conftest import free_port
from meetops.notifications.worker import Worker

REPLY_ADDRESS = "rsvp@meetops.example.org"


@pytest.fixture
def replies_on(settings: Any) -> Any:
    settings.MEETOPS_MAIL_REPLY_ADDRESS = REPLY_ADDRESS
    return settings


def raw_content_type(part: Any) -> str:
    """The header as written on the wire (the parsed header object drops a repeated parameter)."""
    return next(value for name, value in part.raw_items() if name.lower() == "content-type")


def parsed(row: Any) -> Any:
    """An outbox row as the bytes a client receives, parsed by the stdlib."""
    return message_from_bytes(build_message(row).message().as_bytes(), policy=policy.default)


def request_of(mail: Any) -> tuple[Any, icalendar.Event]:
    (part,) = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    (event,) = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")
    return part, event


def outlook_reply(
    event: icalendar.Event,
    *,
    attendee: str,
    partstat: str = "ACCEPTED",
    sequence: int | None = None,
    sender: str | None = None,
    to: str | None = None,
) -> bytes:
    """A REPLY as Outlook.com sends it: no ORGANIZER, the attendee's address as they typed it."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN")
    cal.add("version", "2.0")
    cal.add("method", "REPLY")
    reply = icalendar.Event()
    reply.add("uid", str(event["UID"]))
    reply.add("sequence", int(event["SEQUENCE"]) if sequence is None else sequence)
    reply.add("dtstamp", timezone.now())
    reply.add("dtstart", event["DTSTART"].dt)
    who = icalendar.vCalAddress(f"mailto:{attendee}")
    who.params["PARTSTAT"] = partstat
    who.params["CN"] = "嘉宾"
    reply.add("attendee", who)
    cal.add_component(reply)
    msg = EmailMessage()
    msg["From"] = sender or attendee
    msg["To"] = to or str(event["ORGANIZER"])[len("mailto:") :]
    msg["Subject"] = f"{partstat.title()}: 会议"
    msg["Message-ID"] = make_msgid(domain="outlook.example")
    msg.set_content(f"{partstat.title()}.")
    msg.add_alternative(cal.to_ical().decode(), subtype="calendar", params={"method": "REPLY"})
    return msg.as_bytes()


def organizer_address(event: icalendar.Event) -> str:
    return str(event["ORGANIZER"])[len("mailto:") :]


@pytest.mark.django_db
def test_invitation_is_a_meeting_request_inline_plus_the_file(
    smtp, replies_on, organiser, guests, make_user
):
    meeting = guests(1, title="预算评审会", description="审议明年预算。")
    invites.set_deadline(meeting, actor=organiser, deadline=meeting.start - timedelta(hours=5))
    invites.send_invitations(meeting, actor=organiser, to="all")
    Worker().run_once()
    (mail,) = smtp.messages
    assert mail.get_content_type() == "multipart/mixed"
    alternative, attachment = mail.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    calendar = list(alternative.iter_parts())[-1]
    header = raw_content_type(calendar)
    assert calendar.get_param("method") == "REQUEST"
    assert header.lower().count("charset") == 1 and calendar.get_content_charset() == "utf-8"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert icalendar.Calendar.from_ical(attachment.get_content())["METHOD"] == "REQUEST"

    _part, event = request_of(mail)
    invitation = Invitation.objects.get(meeting=meeting)
    description = str(event["DESCRIPTION"])
    assert "审议明年预算。" in description
    assert f"/rsvp/{invitation.token}" in description
    assert "请于" in description and "前通过以下链接确认是否参会：" in description
    assert str(event["URL"]).endswith(f"/meetings/{meeting.pk}/")
    assert organizer_address(event) == f"rsvp+{reply_tag(invitation)}@meetops.example.org"
    assert event["ORGANIZER"].params["CN"] == str(organiser)
    assert str(event["ATTENDEE"]) == "mailto:guest1@example.org"


@pytest.mark.django_db
def test_without_a_reply_address_the_organiser_stays_organizer(organiser, guests, outbox_mails):
    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, event = request_of(parsed(outbox_mails()[0]))
    # The organiser's own mailbox (this one has none: the site's sender), never the reply address.
    assert organizer_address(event) == (organiser.email or "meetops@localhost")


@pytest.mark.django_db
def test_cancel_goes_inline_as_cancel_with_the_same_organizer(
    replies_on, organiser, guests, outbox_mails, django_capture_on_commit_callbacks
):
    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, request = request_of(parsed(outbox_mails()[0]))
    with django_capture_on_commit_callbacks(execute=True):
        meetings.transition_meeting(meeting, to="cancelled", actor=organiser)
    part, cancel = request_of(parsed(outbox_mails()[-1]))
    assert part.get_param("method") == "CANCEL"
    assert raw_content_type(part).lower().count("charset") == 1
    assert organizer_address(cancel) == organizer_address(request)
    assert str(cancel["UID"]) == str(request["UID"]) and cancel["STATUS"] == "CANCELLED"


@pytest.mark.django_db
def test_accept_from_outlook_becomes_the_answer_audited_with_the_mail(
    replies_on, organiser, guests, outbox_mails
):
    meeting = guests(2)
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, event = request_of(parsed(outbox_mails("guest1@example.org")[0]))
    # Outlook wrote the address with capitals: still the same person.
    raw = outlook_reply(event, attendee="Guest1@Example.ORG")
    result = receive_calendar_reply(raw, source="smtp")
    assert result.outcome == "applied"
    guest1 = Invitation.objects.get(participant__email="guest1@example.org")
    assert guest1.response == "accept"
    assert Invitation.objects.get(participant__email="guest2@example.org").response == ""
    entry = AuditEntry.objects.filter(action="invitations.rsvp.answered").get()
    mail = message_from_bytes(raw, policy=policy.default)
    assert entry.data["mail"]["message_id"] == mail["Message-ID"]
    assert entry.data["mail"]["partstat"] == "ACCEPTED"
    assert entry.changes == {"response": ["", "accept"]}

    # The same mail again (a retry, or the IMAP copy): applied once.
    assert receive_calendar_reply(raw, source="imap").outcome == "duplicate"
    assert AuditEntry.objects.filter(action="invitations.rsvp.answered").count() == 1
    assert CalendarReply.objects.count() == 1

    # A later decline (another mail) changes the answer; tentative is kept but changes nothing.
    decline = receive_calendar_reply(
        outlook_reply(event, attendee="guest1@example.org", partstat="DECLINED"), source="smtp"
    )
    assert decline.outcome == "applied"
    tentative = receive_calendar_reply(
        outlook_reply(event, attendee="guest1@example.org", partstat="TENTATIVE"), source="smtp"
    )
    assert tentative.outcome == "noted"
    guest1.refresh_from_db()
    assert guest1.response == "decline"
    assert AuditEntry.objects.filter(action="invitations.rsvp.mail_noted").count() == 1


@pytest.mark.django_db
def test_a_reply_never_answers_for_another_person(
    replies_on, organiser, guests, outbox_mails, caplog
):
    meeting = guests(2)
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, event = request_of(parsed(outbox_mails("guest1@example.org")[0]))
    # guest1's reply address, guest2 as the attendee.
    raw = outlook_reply(event, attendee="guest2@example.org", partstat="DECLINED")
    with caplog.at_level(logging.WARNING, logger="meetops.invitations.replies"):
        result = receive_calendar_reply(raw, source="smtp")
    assert (result.outcome, result.code) == ("refused", "attendee_mismatch")
    assert "attendee_mismatch" in caplog.text
    assert set(Invitation.objects.values_list("response", flat=True)) == {""}
    (row,) = CalendarReply.objects.all()
    assert (row.outcome, row.attendee, row.invitation.participant.email) == (
        "refused",
        "guest2@example.org",
        "guest1@example.org",
    )
    assert AuditEntry.objects.filter(action="invitations.rsvp.mail_refused").count() == 1


@pytest.mark.django_db
def test_forged_tag_unknown_event_and_stale_sequence_are_refused(
    replies_on, organiser, guests, outbox_mails, django_capture_on_commit_callbacks
):
    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, event = request_of(parsed(outbox_mails()[0]))
    invitation = Invitation.objects.get()
    forged = f"rsvp+{invitation.pk}-{'0' * 20}@meetops.example.org"
    result = receive_calendar_reply(
        outlook_reply(event, attendee="guest1@example.org", to=forged), source="smtp"
    )
    assert (result.outcome, result.code) == ("refused", "unknown_recipient")

    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(meeting, actor=organiser, location="五楼大会议室")
    stale = receive_calendar_reply(
        outlook_reply(event, attendee="guest1@example.org", sequence=0), source="smtp"
    )
    assert (stale.outcome, stale.code) == ("refused", "stale_reply")
    other = icalendar.Event.from_ical(event.to_ical())
    other["UID"] = icalendar.vText("someone-else@example.org")
    unknown = receive_calendar_reply(
        outlook_reply(other, attendee="guest1@example.org", sequence=5), source="smtp"
    )
    assert (unknown.outcome, unknown.code) == ("refused", "unknown_event")
    invitation.refresh_from_db()
    assert invitation.response == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"From: a@example.org\r\nSubject: hello\r\n\r\njust text\r\n", "not_calendar"),
        (
            b"From: a@example.org\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n"
            b"BEGIN:VCALENDAR\r\nthis is not ical\r\n",
            "unreadable_calendar",
        ),
        (b"\xff\xfe\x00garbage with no headers at all", "not_calendar"),
    ],
)
def test_malformed_mail_is_logged_not_raised(replies_on, raw, code, caplog):
    with caplog.at_level(logging.WARNING, logger="meetops.invitations.replies"):
        result = receive_calendar_reply(raw, source="smtp")
    assert (result.outcome, result.code) == ("malformed", code)
    assert code in caplog.text
    assert CalendarReply.objects.get().code == code


# The listener stores from its own thread: it must see committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("lmtp", [False, True])
def test_replies_through_the_listener(lmtp, replies_on, organiser, guests, outbox_mails):
    meeting = guests(2)
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, event1 = request_of(parsed(outbox_mails("guest1@example.org")[0]))
    _part, event2 = request_of(parsed(outbox_mails("guest2@example.org")[0]))
    port = free_port()
    controller = ReplyController(host="127.0.0.1", port=port, lmtp=lmtp)
    controller.start()
    try:
        client = smtplib.LMTP("127.0.0.1", port) if lmtp else smtplib.SMTP("127.0.0.1", port)
        with client:
            # Not the reply address: refused at RCPT, nothing received.
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail(
                    "x@example.org", ["boss@meetops.example.org"], b"Subject: x\r\n\r\nx"
                )
            # Malformed mail does not stop the listener.
            client.sendmail(
                "x@example.org", [organizer_address(event1)], b"Subject: junk\r\n\r\n\x00\xff"
            )
            accept = outlook_reply(event1, attendee="GUEST1@example.org")
            client.sendmail("guest1@example.org", [organizer_address(event1)], accept)
            client.sendmail("guest1@example.org", [organizer_address(event1)], accept)
            decline = outlook_reply(event2, attendee="guest2@example.org", partstat="DECLINED")
            client.sendmail("guest2@example.org", [organizer_address(event2)], decline)
    finally:
        controller.stop()
    answers = dict(Invitation.objects.values_list("participant__email", "response"))
    assert answers == {"guest1@example.org": "accept", "guest2@example.org": "decline"}
    outcomes = [r.outcome for r in controller.reply_handler.received]
    assert outcomes == ["malformed", "applied", "duplicate", "applied"]
    assert AuditEntry.objects.filter(action="invitations.rsvp.answered").count() == 2


def test_mail_listen_needs_the_reply_address(settings):
    settings.MEETOPS_MAIL_REPLY_ADDRESS = ""
    with pytest.raises(CommandError, match="MEETOPS_MAIL_REPLY_ADDRESS"):
        call_command("mail", "listen", "--port", "0")
