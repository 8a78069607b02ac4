"""iCalendar (RFC 5545 / iTIP RFC 5546) for invitations, updates, cancellations and feeds.

One meeting is one VEVENT whose UID never changes and whose SEQUENCE grows
with every change sent out, so Outlook, Apple Calendar and Thunderbird update
the entry they already have. Times carry TZID with a VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from icalendar.parser import Contentline

from meetops.invitations.models import InvitationSettings, Response
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


def _event(
    meeting: Meeting, state: InvitationSettings, *, cancelled: bool = False, url: str = ""
) -> icalendar.Event:
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


class InvitationCalendar:
    """The iTIP message of one meeting, built once and personalised per attendee.

    Personalising inserts the attendee's own ATTENDEE line into the serialised
    event, so thousands of invitations cost one calendar build.
    """

    def __init__(
        self, meeting: Meeting, state: InvitationSettings, *, method: str = "REQUEST"
    ) -> None:
        self.method = method
        cal = _calendar(method, [_event(meeting, state, cancelled=method == "CANCEL")])
        head, sep, tail = cal.to_ical().partition(b"END:VEVENT\r\n")
        self._head, self._tail = head, sep + tail

    def for_attendee(self, participant: Participant, response: str = "") -> bytes:
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
        # One folded, escaped content line, as icalendar writes it inside an event.
        line = Contentline.from_parts("ATTENDEE", attendee.params, attendee).to_ical()
        return self._head + line + b"\r\n" + self._tail


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
