"""Reading an attendee's calendar reply (iMIP REPLY, RFC 6047) out of a received mail.

Pure parsing, no database: `read_reply` returns what the mail says or raises
`NotAReply` with a stable code. Deciding what the reply may change is
`services/replies.py`'s job.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

import icalendar


class NotAReply(Exception):
    """The mail is no usable calendar reply; `code` says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


@dataclass(frozen=True)
class Reply:
    key: str  # what makes two copies of one mail the same (Message-ID, else the digest)
    message_id: str
    digest: str  # SHA-256 of the raw message, kept with the answer as its evidence
    sender: str
    recipients: tuple[str, ...]  # envelope recipients first, then To / Cc / Delivered-To
    uid: str
    sequence: int
    attendee: str  # the ATTENDEE's address, lower-case, without "mailto:"
    partstat: str
    comment: str

    @property
    def sender_differs(self) -> bool:
        return bool(self.sender) and self.sender.lower() != self.attendee


def _mail_key(message_id: str, digest: str) -> str:
    if not message_id:
        return digest
    return hashlib.sha256(f"message-id:{message_id.strip().lower()}".encode()).hexdigest()


def _calendar_bytes(message: EmailMessage) -> bytes:
    """The first text/calendar part, else the first .ics file attached."""
    attached = b""
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if kind == "text/calendar":
            return payload
        if not attached and (kind == "application/ics" or filename.endswith(".ics")):
            attached = payload
    return attached


def _address(value: object) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return parseaddr(text)[1].strip().lower()


def read_reply(raw: bytes, *, envelope_recipients: tuple[str, ...] = ()) -> Reply:
    """The reply a raw mail carries. Raises NotAReply (`not_calendar`, `not_reply`, …)."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        message = message_from_bytes(raw, policy=policy.default)
        message_id = str(message.get("Message-ID", "") or "").strip()[:300]
        sender = parseaddr(str(message.get("From", "") or ""))[1].lower()
        headers = [str(v) for h in ("To", "Cc", "Delivered-To") for v in message.get_all(h, [])]
    except (ValueError, TypeError, IndexError) as exc:  # headers the parser gives up on
        raise NotAReply("unreadable_mail", str(exc)) from exc
    recipients = tuple(
        dict.fromkeys(
            [a.lower() for a in envelope_recipients]
            + [a.lower() for _name, a in getaddresses(headers) if a]
        )
    )
    data = _calendar_bytes(message)
    if not data:
        raise NotAReply("not_calendar")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise NotAReply("unreadable_calendar", str(exc)) from exc
    if str(calendar.get("METHOD", "")).upper() != "REPLY":
        raise NotAReply("not_reply")
    events = [e for e in calendar.walk("VEVENT") if e.get("UID")]
    if len(events) != 1:
        raise NotAReply("not_one_event")
    event = events[0]
    attendees = event.get("ATTENDEE")
    if not isinstance(attendees, list):
        attendees = [attendees] if attendees is not None else []
    # RFC 5546 3.2.3: a REPLY answers for exactly one attendee.
    if len(attendees) != 1:
        raise NotAReply("not_one_attendee")
    attendee = attendees[0]
    try:
        sequence = int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    return Reply(
        key=_mail_key(message_id, digest),
        message_id=message_id,
        digest=digest,
        sender=sender,
        recipients=recipients,
        uid=str(event["UID"]),
        sequence=sequence,
        attendee=_address(attendee),
        partstat=str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper(),
        comment=re.sub(r"\s+", " ", str(event.get("COMMENT", "") or "")).strip()[:2000],
    )


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def message_id_of(raw: bytes) -> str:
    """The Message-ID, read leniently (for the log of a mail that could not be parsed)."""
    match = re.search(rb"(?im)^message-id:\s*(<[^>\r\n]{1,290}>)", raw[:65536])
    return match.group(1).decode("ascii", "replace") if match else ""
