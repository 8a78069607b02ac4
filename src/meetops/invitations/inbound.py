"""Receiving mail at the reply address: MeetOps's own SMTP/LMTP listener and an IMAP poll.

Both hand each message to `services.replies.receive_calendar_reply`, which
logs every mail and never raises for a bad one; only a failure of MeetOps
itself (the database gone) is answered "try again later" (SMTP 451) or leaves
the message unseen in the IMAP folder for the next poll.
"""

from __future__ import annotations

import asyncio
import imaplib
import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.db import close_old_connections

from meetops.core.audit import audit_context
from meetops.core.models import AuditSource
from meetops.invitations.services.replies import Received, receive_calendar_reply

log = logging.getLogger("meetops.invitations.inbound")

# A calendar reply is a few kilobytes; anything much bigger is not one.
MAX_MESSAGE_BYTES = 5 * 1024 * 1024


def reply_mailbox() -> tuple[str, str]:
    """(local part, domain) of MEETOPS_MAIL_REPLY_ADDRESS, lower-case; ("", "") when unset."""
    local, at, domain = settings.MEETOPS_MAIL_REPLY_ADDRESS.lower().rpartition("@")
    return (local, domain) if at and local and domain else ("", "")


def is_reply_address(address: str) -> bool:
    local, domain = reply_mailbox()
    name, _at, host = address.lower().rpartition("@")
    return bool(local) and host == domain and name.partition("+")[0] == local


def receive(raw: bytes, *, source: str, recipients: Sequence[str] = ()) -> Received:
    """One message, in its own database connection state (the listener's worker threads)."""
    close_old_connections()
    try:
        with audit_context(AuditSource.TASK):
            return receive_calendar_reply(raw, source=source, envelope_recipients=recipients)
    finally:
        close_old_connections()


class ReplyHandler:
    """aiosmtpd handler: accepts mail for the reply address only and receives each message."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.received: list[Received] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if not is_reply_address(address):
            return "550 5.1.1 Not a MeetOps reply address"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            result = await asyncio.to_thread(
                receive, raw, source=self.source, recipients=list(envelope.rcpt_tos)
            )
        except Exception:
            # MeetOps itself failed (not the mail): the sending server keeps it and retries.
            log.exception("calendar reply could not be stored")
            status = "451 4.3.0 Try again later"
        else:
            self.received.append(result)
            status = "250 2.0.0 Received"
        if self.source == "lmtp":
            # LMTP answers DATA once per accepted recipient (RFC 2033 4.2).
            return "\r\n".join([status] * max(1, len(envelope.rcpt_tos)))
        return status


class ReplyController(Controller):
    """The listener on host:port, SMTP or LMTP, in a thread of its own."""

    def __init__(self, *, host: str, port: int, lmtp: bool = False) -> None:
        self.lmtp = lmtp
        self.reply_handler = ReplyHandler("lmtp" if lmtp else "smtp")
        super().__init__(
            self.reply_handler,
            hostname=host,
            port=port,
            data_size_limit=MAX_MESSAGE_BYTES,
            # Never SMTPUTF8 trouble for the sending server: 8-bit bodies are fine.
            enable_SMTPUTF8=True,
        )

    def factory(self) -> SMTP:
        cls = LMTP if self.lmtp else SMTP
        return cls(self.handler, **self.SMTP_kwargs)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    tls: str  # "ssl", "starttls" or "none"
    folder: str

    @classmethod
    def from_settings(cls) -> ImapSettings:
        return cls(
            host=settings.MEETOPS_MAIL_IMAP_HOST,
            port=settings.MEETOPS_MAIL_IMAP_PORT,
            user=settings.MEETOPS_MAIL_IMAP_USER,
            password=settings.MEETOPS_MAIL_IMAP_PASSWORD,
            tls=settings.MEETOPS_MAIL_IMAP_TLS,
            folder=settings.MEETOPS_MAIL_IMAP_FOLDER,
        )


def _connect(config: ImapSettings, context: ssl.SSLContext | None) -> imaplib.IMAP4:
    if config.tls == "ssl":
        return imaplib.IMAP4_SSL(config.host, config.port, ssl_context=context, timeout=30)
    conn = imaplib.IMAP4(config.host, config.port, timeout=30)
    if config.tls == "starttls":
        conn.starttls(ssl_context=context)
    elif config.tls != "none":
        raise ValueError(f"MEETOPS_MAIL_IMAP_TLS must be ssl, starttls or none, not {config.tls}")
    return conn


def poll_imap(config: ImapSettings, *, context: ssl.SSLContext | None = None) -> list[Received]:
    """Receive every unseen message in the folder; each one received is marked seen.

    A message MeetOps could not store stays unseen and is tried again next poll.
    """
    results: list[Received] = []
    conn = _connect(config, context)
    try:
        conn.login(config.user, config.password)
        status, _data = conn.select(config.folder)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {config.folder}")
        _status, found = conn.uid("SEARCH", "UNSEEN")
        for uid in (found[0] or b"").decode("ascii").split():
            # BODY.PEEK: reading does not mark it seen; only a stored reply is.
            _status, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            if not raw:
                continue
            try:
                with audit_context(AuditSource.TASK):
                    results.append(receive_calendar_reply(raw, source="imap"))
            except Exception:
                log.exception("calendar reply could not be stored; left unseen")
                continue
            conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        try:
            conn.logout()
        except (imaplib.IMAP4.error, OSError):
            log.debug("IMAP logout failed", exc_info=True)
    return results
