"""E-mail through Django's e-mail backends (configured by EMAIL_URL).

For SMTP the transaction is driven by hand so that the sent marker is
committed between the message body and the final "." that makes the server
accept it: a worker killed before the "." leaves no mail on the server (it
drops an unfinished DATA), a worker killed after it leaves the marker, so no
second copy is ever sent. Every copy carries the outbox row's stable
Message-ID, so the one unavoidable ambiguity (the connection breaks after the
"." but before the server's answer) shows up in the delivery log as
"unconfirmed", never as a silent duplicate.
"""

from __future__ import annotations

import base64
import contextlib
import re
import smtplib
import socket
from typing import Any, cast

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import MIMEMixin, SafeMIMEText, sanitize_address

from meetops.notifications.senders import CommitPoint, Permanent, Retry


def _mime_params(mimetype: str) -> tuple[str, dict[str, str]]:
    """ "text/calendar; method=REQUEST; charset=utf-8" → ("text/calendar", {"method": "REQUEST", …})."""
    head, *rest = mimetype.split(";")
    params = {}
    for item in rest:
        name, _sep, value = item.partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    return head.strip().lower(), params


class CalendarEmail(EmailMultiAlternatives):
    """Django's message, with a text/calendar part that carries its method and one charset.

    Django makes "calendar; method=…" the subtype and adds its own charset, so the
    header would repeat it; Outlook then shows a file instead of a meeting request.
    """

    def _create_mime_attachment(self, content: Any, mimetype: str) -> Any:
        kind, params = _mime_params(mimetype)
        if kind != "text/calendar":
            # Django 5.2 has it; the stubs describe 6.0, which builds messages differently.
            return super()._create_mime_attachment(content, mimetype)  # type: ignore[misc]
        part = SafeMIMEText(content, "calendar", "utf-8")
        if params.get("method"):
            part.set_param("method", params["method"].upper())
        return part


def build_message(msg: Any) -> EmailMultiAlternatives:
    """The mail as clients expect it.

    An iTIP calendar (text/calendar with a method) goes inline as the last
    alternative after text and HTML (RFC 6047: what makes Outlook, Gmail and
    Apple Mail show a meeting request with answer buttons), and once more as an
    `.ics` file for clients that only read attachments.
    """
    email = CalendarEmail(
        subject=msg.subject,
        body=msg.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[msg.address],
        headers={"Message-ID": msg.message_id, "X-MeetOps-Event": msg.event},
    )
    if msg.html:
        email.attach_alternative(msg.html, "text/html")
    for item in msg.attachments:
        content: Any = base64.b64decode(item["content_b64"])
        kind, params = _mime_params(item["mimetype"])
        if kind == "text/calendar" and params.get("method"):
            email.attach_alternative(content.decode("utf-8"), item["mimetype"])
            # application/ics: a file to open, not a second request for clients to act on.
            email.attach(item["filename"], content, "application/ics")
            continue
        if kind.startswith("text/"):
            content = content.decode("utf-8")
        email.attach(item["filename"], content, item["mimetype"])
    return email


class EmailSender:
    """Keeps one backend connection open for a batch."""

    def __init__(self) -> None:
        self.backend = get_connection()
        # Set for SMTP, whose transaction is driven by hand; other backends just send.
        self.smtp = self.backend if isinstance(self.backend, SmtpBackend) else None
        # Where the SMTP transaction on the open connection stands: "idle" (none),
        # "envelope" (MAIL FROM accepted) or "data" (the body is going out).
        self.transaction = "idle"

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a broken connection
            self.backend.close()

    def send(self, msg: Any, commit_point: CommitPoint) -> str:
        if not msg.address:
            raise Permanent("no e-mail address", "no_address")
        email = build_message(msg)
        self.past_commit = False
        smtp = self.smtp
        if smtp is None:
            commit_point()
            self.backend.send_messages([email])
            return "accepted"
        try:
            if smtp.connection is None:
                smtp.open()
                # The body and the final "." are two writes: without this, Nagle's
                # algorithm holds the "." for the server's delayed ACK (~40 ms a mail).
                sock = getattr(smtp.connection, "sock", None)
                if sock is not None:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if smtp.connection is None:
                raise Retry("SMTP connection could not be opened", "smtp_connection")
            return self._smtp_send(smtp.connection, email, commit_point)
        except (TimeoutError, smtplib.SMTPServerDisconnected, ConnectionError, OSError) as exc:
            self._drop_connection()
            if isinstance(exc, smtplib.SMTPException) and not isinstance(
                exc, smtplib.SMTPServerDisconnected
            ):
                raise
            raise Retry(
                f"SMTP connection failed: {exc}", "smtp_connection", ambiguous=self.past_commit
            ) from exc
        finally:
            # Whatever ended this message (a refusal, a lost claim at the hand-over, a
            # database error), the next one must start on a clean connection: otherwise its
            # MAIL FROM meets "503 nested MAIL command", or is read as this message's text.
            self._end_transaction()

    def _end_transaction(self) -> None:
        conn = self.smtp.connection if self.smtp is not None else None
        if self.transaction == "idle" or conn is None:
            self.transaction = "idle"
            return
        if self.transaction == "data":
            # No RSET inside DATA; a server drops an unfinished DATA when the client leaves.
            self._drop_connection()
            return
        try:
            code, _reply = conn.rset()
        except (smtplib.SMTPException, OSError):
            code = -1
        if code != 250:
            self._drop_connection()
        self.transaction = "idle"

    def _drop_connection(self) -> None:
        self.close()
        if self.smtp is not None:
            self.smtp.connection = None
        self.transaction = "idle"

    def _smtp_send(
        self, conn: smtplib.SMTP, email: EmailMultiAlternatives, commit_point: CommitPoint
    ) -> str:
        encoding = email.encoding or settings.DEFAULT_CHARSET
        from_addr = sanitize_address(email.from_email, encoding)
        recipients = [sanitize_address(a, encoding) for a in email.recipients()]
        # Django 5.2 builds a SafeMIME* message (its as_bytes takes linesep); the
        # stubs already describe 6.0's stdlib EmailMessage.
        data = cast(MIMEMixin, email.message()).as_bytes(linesep="\r\n")
        conn.ehlo_or_helo_if_needed()
        options = [f"size={len(data)}"] if conn.does_esmtp and conn.has_extn("size") else []
        code, reply = conn.mail(from_addr, options)
        self.transaction = "envelope"
        if code != 250:
            raise _classify(code, reply, "mail_from")
        refused = {}
        for rcpt in recipients:
            code, reply = conn.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if len(refused) == len(recipients):
            code, reply = next(iter(refused.values()))
            raise _classify(code, reply, "rcpt_to")
        code, reply = conn.docmd("data")
        if code != 354:
            raise _classify(code, reply, "data")
        self.transaction = "data"
        body = _quote_periods(data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        conn.send(body)
        # On PostgreSQL the marker's COMMIT is only written here, not waited for:
        # the next thing on the wire is the "." (see notifications/handover.py).
        settle = commit_point(pipelined=True)
        self.past_commit = True
        try:
            conn.send(b".\r\n")
            code, reply = conn.getreply()
            self.transaction = "idle"  # the server's answer to "." ends the transaction
        finally:
            # COMMIT's answer. If it failed, the SMTP answer still tells what
            # happened, and the worker records that on a fresh connection; with no
            # SMTP answer the message is unconfirmed either way.
            settle()
        if code != 250:
            raise _classify(code, reply, "end_of_data")
        return str(code)


def _classify(code: int, reply: bytes, stage: str) -> Exception:
    text = f"SMTP {code} at {stage}: {reply.decode('utf-8', 'replace')}"
    if 400 <= code < 500 or code == -1:
        return Retry(text, str(code))
    return Permanent(text, str(code))


def _quote_periods(data: bytes) -> bytes:
    """Dot-stuffing (RFC 5321 4.5.2), as smtplib's private helper does for SMTP.data()."""
    return re.sub(rb"(?m)^\.", b"..", data)
