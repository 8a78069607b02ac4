"""iCalendar (RFC 5545 / iTIP RFC 5546) for invitations, updates, cancellations and feeds.

One meeting is one VEVENT whose UID never changes and whose SEQUENCE grows
with every change sent out, so Outlook, Apple Calendar and Thunderbird update
the entry they already have. Times carry TZID with a VTIMEZONE.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar.parser import Contentline

from meetops.invitations.models import Invitation, InvitationSettings, Response
from meetops.meetings.models import Attendance, Meeting, MeetingRole, Participant, Stage

PRODID = "-//MeetOps//MeetOps//EN"

PARTSTAT: dict[str, str] = {
    Response.ACCEPT: "ACCEPTED",
    Response.DECLINE: "DECLINED",
    Response.SUBSTITUTE: "DELEGATED",
    Response.NONE: "NEEDS-ACTION",
}


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _place(meeting: Meeting) -> str:
    return meeting.location or meeting.online_url


def organiser_address(meeting: Meeting) -> icalendar.vCalAddress:
    creator = meeting.created_by
    email = (creator.email if creator else "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    address = icalendar.vCalAddress(f"mailto:{email}")
    address.params["CN"] = str(creator) if creator else str(settings.MEETOPS_NAME)
    return address


def meeting_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}{reverse('meeting_detail', args=[meeting.pk])}"


def _event(
    meeting: Meeting,
    state: InvitationSettings,
    *,
    cancelled: bool = False,
    url: str = "",
    personal: bool = False,
) -> icalendar.Event:
    """The meeting's VEVENT; `personal` leaves ORGANIZER and DESCRIPTION to `for_attendee`."""
    zone = _zone()
    event = icalendar.Event()
    event.add("uid", state.ical_uid)
    event.add("sequence", state.ical_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("summary", meeting.title)
    if _place(meeting):
        event.add("location", _place(meeting))
    description = meeting.description.strip()
    if url:
        description = f"{description}\n\n{url}".strip()
        event.add("url", url)
    if not personal:
        if description:
            event.add("description", description)
        event.add("organizer", organiser_address(meeting))
    event.add(
        "status", "CANCELLED" if cancelled or meeting.stage == Stage.CANCELLED else "CONFIRMED"
    )
    event.add("transp", "OPAQUE")
    return event


def _calendar(method: str, events: Iterable[icalendar.Event]) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def reply_tag(invitation: Invitation) -> str:
    """The invitation's tag in the reply address: its id and a digest of its personal token.

    Lower-case hex, because some mail systems lower-case the local part. Whoever
    knows the tag could also answer with the personal link, so it grants nothing more.
    """
    digest = hashlib.sha256(f"imip-reply:{invitation.token}".encode()).hexdigest()[:20]
    return f"{invitation.pk}-{digest}"


def reply_address(invitation: Invitation) -> str:
    """rsvp+<tag>@domain for MEETOPS_MAIL_REPLY_ADDRESS rsvp@domain; empty when it is unset."""
    local, at, domain = settings.MEETOPS_MAIL_REPLY_ADDRESS.rpartition("@")
    if not at or not local or not domain:
        return ""
    return f"{local}+{reply_tag(invitation)}@{domain}"


def invitation_for_tag(tag: str) -> Invitation | None:
    """The invitation a reply tag names, or None when the tag is unknown or forged."""
    pk, _sep, _digest = tag.lower().partition("-")
    if not pk.isdigit() or len(pk) > 18:
        return None
    invitation = (
        Invitation.objects.select_related("participant", "meeting").filter(pk=int(pk)).first()
    )
    if invitation is None or not hmac.compare_digest(reply_tag(invitation), tag.lower()):
        return None
    return invitation


def _line(name: str, value: object, params: dict[str, str] | None = None) -> bytes:
    # One folded, escaped content line, as icalendar writes it inside an event.
    return Contentline.from_parts(name, icalendar.Parameters(params or {}), value).to_ical()


class InvitationCalendar:
    """The iTIP message of one meeting, built once and personalised per attendee.

    Personalising inserts the attendee's own ORGANIZER (the reply address with
    their tag), DESCRIPTION (agenda and personal link) and ATTENDEE lines into the
    serialised event, so thousands of invitations cost one calendar build.
    """

    def __init__(
        self, meeting: Meeting, state: InvitationSettings, *, method: str = "REQUEST"
    ) -> None:
        self.meeting, self.method = meeting, method
        event = _event(
            meeting,
            state,
            cancelled=method == "CANCEL",
            url=meeting_url(meeting),
            personal=True,
        )
        cal = _calendar(method, [event])
        head, sep, tail = cal.to_ical().partition(b"END:VEVENT\r\n")
        self._head, self._tail = head, sep + tail

    def organizer(self, invitation: Invitation | None) -> icalendar.vCalAddress:
        address = organiser_address(self.meeting)
        mailbox = reply_address(invitation) if invitation is not None else ""
        if mailbox:
            address = icalendar.vCalAddress(f"mailto:{mailbox}")
            address.params["CN"] = organiser_address(self.meeting).params["CN"]
        return address

    def for_attendee(
        self,
        participant: Participant,
        response: str = "",
        *,
        invitation: Invitation | None = None,
        description: str = "",
    ) -> bytes:
        attendee = icalendar.vCalAddress(f"mailto:{participant.email}")
        attendee.params["CN"] = participant.display_name
        if participant.role in (MeetingRole.HOST, MeetingRole.ORGANISER):
            attendee.params["ROLE"] = "CHAIR"
        elif (
            participant.role == MeetingRole.OBSERVER
            or participant.attendance == Attendance.OPTIONAL
        ):
            attendee.params["ROLE"] = "OPT-PARTICIPANT"
        else:
            attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = PARTSTAT.get(response, "NEEDS-ACTION")
        if self.method == "REQUEST":
            attendee.params["RSVP"] = "TRUE"
        organizer = self.organizer(invitation)
        lines = [_line("ORGANIZER", organizer, dict(organizer.params))]
        if description.strip():
            lines.append(_line("DESCRIPTION", icalendar.vText(description.strip())))
        lines.append(_line("ATTENDEE", attendee, dict(attendee.params)))
        return self._head + b"\r\n".join(lines) + b"\r\n" + self._tail


def feed(meetings: Iterable[tuple[Meeting, InvitationSettings | None]], *, name: str) -> bytes:
    """A subscription feed (no METHOD): every meeting as an event, cancelled ones marked so."""
    events = []
    for meeting, state in meetings:
        if state is None:
            state = InvitationSettings(meeting=meeting, ical_uid=uid_for(meeting), ical_sequence=0)
        events.append(_event(meeting, state))
    cal = _calendar("", events)
    cal.add("x-wr-calname", name)
    return cal.to_ical()


def uid_for(meeting: Meeting) -> str:
    """A UID that stays the same for the meeting's whole life (stored when first used)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "meetops"
    created: datetime = meeting.created_at or timezone.now()
    return f"meeting-{meeting.pk}-{created.strftime('%Y%m%d%H%M%S')}@{host}"
