"""Tentative and delegated calendar replies, as Outlook and Apple Calendar really send them.

The replies are raw mail as those clients write it (Outlook: base64 text/calendar with its
X-MICROSOFT properties; Apple Calendar: quoted-printable, the whole event echoed, EMAIL
parameters), addressed to the ORGANIZER of the invitation MeetOps sent.
"""

from __future__ import annotations

import base64
import logging
import quopri
from datetime import UTC, timedelta
from typing import Any

import icalendar
import pytest
from django.utils import timezone

from meetops.core.models import AuditEntry
from meetops.invitations.models import CalendarReply, Invitation
from meetops.invitations.services import invitations as invites
from meetops.invitations.services.replies import receive_calendar_reply
from meetops.invitations.tests.test_calendar_replies import (
    REPLY_ADDRESS,
    organizer_address,
    parsed,
    request_of,
)


def _stamp(when: Any) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def outlook_desktop(
    event: icalendar.Event, *, attendee: str, partstat: str, extra: str = ""
) -> bytes:
    """Outlook for Windows: text/calendar in base64, the answer's word in the subject."""
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n"
        "PRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\n"
        f"ATTENDEE;PARTSTAT={partstat};CN=Wang Fang{extra}:mailto:{attendee}\r\n"
        "COMMENT;LANGUAGE=zh-CN:可能晚到半小时。\r\n"
        f"UID:{event['UID']}\r\n"
        f"DTSTART:{_stamp(event['DTSTART'].dt)}\r\n"
        f"SEQUENCE:{int(event['SEQUENCE'])}\r\n"
        f"DTSTAMP:{_stamp(timezone.now())}\r\n"
        "X-MICROSOFT-CDO-REPLYTIME:20261207T020000Z\r\n"
        "X-MICROSOFT-CDO-OWNERAPPTID:-1\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    body = base64.encodebytes(ics.encode()).decode()
    word = {"TENTATIVE": "Tentative", "DELEGATED": "Delegated"}.get(partstat, partstat)
    return (
        f"From: Wang Fang <{attendee}>\r\n"
        f"To: {organizer_address(event)}\r\n"
        f"Subject: {word}: 预算评审会\r\n"
        "Message-ID: <DM6PR11MB4react@DM6PR11MB.namprd11.prod.outlook.com>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="_000_outlook_"\r\n\r\n'
        "--_000_outlook_\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
        "可能晚到半小时。\r\n"
        "--_000_outlook_\r\n"
        'Content-Type: text/calendar; charset="utf-8"; method=REPLY\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{body}"
        "--_000_outlook_--\r\n"
    ).encode()


def apple_calendar(event: icalendar.Event, *, attendee: str, partstat: str) -> bytes:
    """Apple Calendar (macOS): the whole event echoed, quoted-printable, EMAIL parameters."""
    organizer = organizer_address(event)
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nVERSION:2.0\r\n"
        "PRODID:-//Apple Inc.//macOS 14.4//EN\r\nCALSCALE:GREGORIAN\r\n"
        "BEGIN:VEVENT\r\n"
        f"ATTENDEE;CN=王芳;CUTYPE=INDIVIDUAL;EMAIL={attendee};PARTSTAT={partstat}:mai\r\n"
        f" lto:{attendee}\r\n"
        f"DTEND:{_stamp(event['DTEND'].dt)}\r\n"
        "TRANSP:OPAQUE\r\n"
        f"ORGANIZER;CN=组织者;EMAIL={organizer}:mailto:{organizer}\r\n"
        f"UID:{event['UID']}\r\n"
        f"DTSTAMP:{_stamp(timezone.now())}\r\n"
        "LOCATION:三楼会议室\r\n"
        "SUMMARY:预算评审会\r\n"
        f"DTSTART:{_stamp(event['DTSTART'].dt)}\r\n"
        f"SEQUENCE:{int(event['SEQUENCE'])}\r\n"
        "REQUEST-STATUS:2.0;Success\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    body = quopri.encodestring(ics.encode()).decode()
    return (
        f"From: =?utf-8?B?546L6Iqz?= <{attendee}>\r\n"
        f"To: {organizer}\r\n"
        "Subject: =?utf-8?B?5Y+v6IO9?=: =?utf-8?B?6aKE566X6K+E5a6h5Lya?=\r\n"
        "Message-Id: <4F7C1B2E-9A7D-4E57-9C1B-1A2B3C4D5E6F@icloud.com>\r\n"
        "Mime-Version: 1.0 (Mac OS X Mail 16.0)\r\n"
        "X-Mailer: iPhone Mail (21E236)\r\n"
        'Content-Type: multipart/alternative; boundary="Apple-Mail=_1"\r\n\r\n'
        "--Apple-Mail=_1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "王芳 has tentatively accepted.\r\n"
        "--Apple-Mail=_1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Type: text/calendar; charset=utf-8; method=REPLY; name=iCal-20261207.ics\r\n\r\n"
        f"{body}\r\n"
        "--Apple-Mail=_1--\r\n"
    ).encode()


@pytest.fixture
def invited(settings: Any, organiser: Any, guests: Any, outbox_mails: Any) -> Any:
    """A meeting with two invited guests and guest1's calendar event as their client has it."""
    settings.MEETOPS_MAIL_REPLY_ADDRESS = REPLY_ADDRESS
    meeting = guests(2, title="预算评审会")
    invites.set_deadline(meeting, actor=organiser, deadline=meeting.start - timedelta(hours=5))
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, event = request_of(parsed(outbox_mails("guest1@example.org")[0]))
    return meeting, event


@pytest.mark.django_db
@pytest.mark.parametrize("client_reply", [outlook_desktop, apple_calendar])
def test_tentative_keeps_the_invitation_open_and_shows_maybe(
    client_reply: Any, invited: Any, organiser: Any, client: Any
) -> None:
    meeting, event = invited
    raw = client_reply(event, attendee="Guest1@Example.org", partstat="TENTATIVE")
    result = receive_calendar_reply(raw, source="smtp")
    assert (result.outcome, result.code) == ("noted", "tentative")
    guest1 = Invitation.objects.get(participant__email="guest1@example.org")
    # Not an answer: still counted as not answered, still reminded.
    assert guest1.response == ""
    assert guest1 in invites.non_responders(meeting)
    row = CalendarReply.objects.get()
    assert (row.partstat, row.outcome, row.invitation_id) == ("TENTATIVE", "noted", guest1.pk)
    entry = AuditEntry.objects.get(action="invitations.rsvp.mail_noted")
    assert entry.data["mail"]["partstat"] == "TENTATIVE"

    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/rsvp/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    pending = html.split('id="deadline"')[1].split("Substitutes")[0]
    assert "嘉宾1" in pending and "待定" in pending and 'id="rsvp-tentative-note"' in html
    # guest2 sent nothing: no "maybe" beside them.
    assert pending.count('class="badge tentative"') == 1


@pytest.mark.django_db
def test_an_answer_on_the_link_after_tentative_clears_the_maybe(
    invited: Any, organiser: Any, client: Any
) -> None:
    meeting, event = invited
    receive_calendar_reply(
        apple_calendar(event, attendee="guest1@example.org", partstat="TENTATIVE"), source="imap"
    )
    guest1 = Invitation.objects.get(participant__email="guest1@example.org")
    invites.respond(guest1, response="accept")
    client.force_login(organiser)
    html = client.get(f"/meetings/{meeting.pk}/rsvp/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="badge tentative"' not in html and "rsvp-tentative-note" not in html
    assert "in their calendar on" not in html


@pytest.mark.django_db
def test_delegated_is_refused_with_a_logged_reason(invited: Any, caplog: Any) -> None:
    _meeting, event = invited
    raw = outlook_desktop(
        event,
        attendee="guest1@example.org",
        partstat="DELEGATED",
        extra=';DELEGATED-TO="mailto:deputy@example.org"',
    )
    with caplog.at_level(logging.WARNING, logger="meetops.invitations.replies"):
        result = receive_calendar_reply(raw, source="smtp")
    assert (result.outcome, result.code) == ("refused", "delegation_by_mail")
    assert "delegation_by_mail" in caplog.text
    guest1 = Invitation.objects.get(participant__email="guest1@example.org")
    assert (guest1.response, guest1.substitute_email) == ("", "")
    assert AuditEntry.objects.get(action="invitations.rsvp.mail_refused").data["code"] == (
        "delegation_by_mail"
    )


@pytest.mark.django_db
def test_the_same_mail_twice_is_counted_once_applied(invited: Any) -> None:
    _meeting, event = invited
    raw = apple_calendar(event, attendee="guest1@example.org", partstat="ACCEPTED")
    assert receive_calendar_reply(raw, source="smtp").outcome == "applied"
    assert receive_calendar_reply(raw, source="imap").outcome == "duplicate"
    row = CalendarReply.objects.get()
    assert (row.outcome, row.copies) == ("applied", 2)
    assert Invitation.objects.get(participant__email="guest1@example.org").response == "accept"
