"""`meetops mail poll` against a real IMAP server (Debian's dovecot-imapd, started offline).

Skips when dovecot is not installed (apt-get install dovecot-imapd) or not run as root
(dovecot starts its login processes under their own users).
"""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from meetops.invitations.inbound import ImapSettings, poll_imap
from meetops.invitations.models import CalendarReply, Invitation
from meetops.invitations.services import invitations as invites
from meetops.invitations.tests.test_calendar_replies import (
    outlook_reply,
    parsed,
    request_of,
)
from meetops.notifications.tests.conftest import free_port

DOVECOT = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin") or ""
CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@pytest.fixture
def imap_server() -> Iterator[ImapSettings]:
    if not DOVECOT:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    if os.geteuid() != 0:
        pytest.skip("dovecot must be started as root here")
    root = Path(tempfile.mkdtemp(prefix="meetops-imap-"))
    root.chmod(0o755)
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
    (root / "passwd").write_text("rsvp:{PLAIN}secret-pw\n")
    for folder in ("mail", "home"):
        (root / folder).mkdir()
        shutil.chown(root / folder, "dovecot", "dovecot")
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log = (
                        (root / "dovecot.log").read_text()
                        if (root / "dovecot.log").exists()
                        else ""
                    )
                    pytest.fail(f"dovecot did not start: {log}")
                time.sleep(0.1)
        yield ImapSettings(
            host="127.0.0.1",
            port=port,
            user="rsvp",
            password="secret-pw",
            tls="none",
            folder="INBOX",
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def deliver(config: ImapSettings, *messages: bytes) -> None:
    conn = imaplib.IMAP4(config.host, config.port)
    conn.login(config.user, config.password)
    for raw in messages:
        conn.append(config.folder, None, None, raw)
    conn.logout()


def unseen(config: ImapSettings) -> int:
    conn = imaplib.IMAP4(config.host, config.port)
    conn.login(config.user, config.password)
    conn.select(config.folder)
    _status, found = conn.uid("SEARCH", "UNSEEN")
    conn.logout()
    return len((found[0] or b"").split())


@pytest.mark.django_db
def test_poll_turns_replies_in_the_mailbox_into_answers(
    imap_server: ImapSettings, settings: Any, organiser: Any, guests: Any, outbox_mails: Any
) -> None:
    settings.MEETOPS_MAIL_REPLY_ADDRESS = "rsvp@meetops.example.org"
    meeting = guests(2)
    invites.send_invitations(meeting, actor=organiser, to="all")
    _part, event1 = request_of(parsed(outbox_mails("guest1@example.org")[0]))
    _part, event2 = request_of(parsed(outbox_mails("guest2@example.org")[0]))
    accept = outlook_reply(event1, attendee="Guest1@example.org")
    deliver(
        imap_server,
        accept,
        accept,  # the same mail twice in the folder
        b"From: spam@example.org\r\nSubject: hello\r\n\r\nnot a reply\r\n",
        # guest2's reply sent to guest1's address: never guest1's answer.
        outlook_reply(
            event2,
            attendee="guest2@example.org",
            partstat="DECLINED",
            to=str(event1["ORGANIZER"])[7:],
        ),
    )
    results = poll_imap(imap_server)
    assert [(r.outcome, r.code) for r in results] == [
        ("applied", ""),
        ("duplicate", ""),
        ("malformed", "not_calendar"),
        ("refused", "attendee_mismatch"),
    ]
    answers = dict(Invitation.objects.values_list("participant__email", "response"))
    assert answers == {"guest1@example.org": "accept", "guest2@example.org": ""}
    assert unseen(imap_server) == 0
    assert CalendarReply.objects.filter(source="imap").count() == 3

    # The command line: settings from the environment, a summary of what it did.
    settings.MEETOPS_MAIL_IMAP_HOST = imap_server.host
    settings.MEETOPS_MAIL_IMAP_PORT = imap_server.port
    settings.MEETOPS_MAIL_IMAP_USER = imap_server.user
    settings.MEETOPS_MAIL_IMAP_PASSWORD = imap_server.password
    settings.MEETOPS_MAIL_IMAP_TLS = "none"
    deliver(imap_server, outlook_reply(event2, attendee="guest2@example.org", partstat="DECLINED"))
    assert unseen(imap_server) == 1
    out = StringIO()
    call_command("mail", "poll", stdout=out)
    assert out.getvalue().strip() == "applied 1"
    assert Invitation.objects.get(participant__email="guest2@example.org").response == "decline"
    out = StringIO()
    call_command("mail", "poll", stdout=out)
    assert out.getvalue().strip() == "nothing new"
