"""E-mail through a real SMTP server: delivery, retries, the delivery log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from meetops.notifications import services
from meetops.notifications.models import DeliveryAttempt, Notification, OutboxMessage, Status
from meetops.notifications.worker import Worker


def test_worker_delivers_mail_with_html_attachment_and_stable_message_id(
    smtp: Any, make_meeting: Any, person: Any
) -> None:
    meeting = make_meeting(title="党委会（第5次）", location="第一会议室")
    alice = person("alice", email="alice@example.org", language="en")
    with transaction.atomic():
        services.enqueue(
            event="meeting.changed",
            recipients=[alice],
            meeting=meeting,
            context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
            attachments=[
                (
                    "meeting.ics",
                    b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                    "text/calendar; method=REQUEST",
                )
            ],
        )
    stats = Worker().run_once()
    assert (stats.sent, stats.failed, stats.dead) == (2, 0, 0)  # the mail and the bell entry
    [mail] = smtp.messages
    row = OutboxMessage.objects.get(channel="email")
    assert mail["Message-ID"] == row.message_id
    assert mail["To"] == "alice@example.org"
    assert mail["Subject"] == "Changed: 党委会（第5次）"
    text = mail.get_body(("plain",)).get_content()
    assert "第一会议室" in text
    html = mail.get_body(("html",)).get_content()
    assert "第一会议室" in html
    # The calendar inline (a meeting request for the client) and the same file attached.
    [inline] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert inline.get_param("method") == "REQUEST" and not inline.get_filename()
    [ics] = [p for p in mail.iter_attachments() if p.get_filename() == "meeting.ics"]
    assert ics.get_content_type() == "application/ics"
    assert ics.get_content().startswith(b"BEGIN:VCALENDAR")
    assert row.status == Status.SENT and row.sent_at is not None and row.attempts == 1
    assert list(row.attempts_log.values_list("outcome", flat=True)) == ["sent"]
    assert Notification.objects.get(user=alice).title == "Changed: 党委会（第5次）"


def test_html_body_escapes_values(smtp: Any, make_meeting: Any, person: Any) -> None:
    meeting = make_meeting(title="<script>alert(1)</script>")
    alice = person("alice", email="alice@example.org")
    with transaction.atomic():
        services.enqueue(
            event="meeting.changed",
            recipients=[alice],
            meeting=meeting,
            context={"meeting": meeting},
            channels=["email"],
        )
    Worker().run_once()
    html = smtp.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_server_down_means_retry_with_backoff_then_dead(smtp: Any, settings: Any, db: Any) -> None:
    from meetops.notifications.tests.conftest import free_port

    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.MEETOPS_OUTBOX_MAX_ATTEMPTS = 2
    with transaction.atomic():
        msg = services.enqueue_email(to="a@example.org", subject="s", text="t")
    Worker().run_once()
    msg.refresh_from_db()
    assert msg.status == Status.FAILED and msg.attempts == 1
    assert msg.next_attempt_at > timezone.now()
    assert "SMTP connection failed" in msg.last_error
    Worker().run_once()  # not due yet: nothing happens
    msg.refresh_from_db()
    assert msg.attempts == 1
    OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=timezone.now())
    Worker().run_once()
    msg.refresh_from_db()
    assert msg.status == Status.DEAD and msg.attempts == 2
    assert list(msg.attempts_log.values_list("outcome", flat=True)) == ["retry", "dead"]
    assert smtp.messages == []


def test_refused_recipient_is_dead_at_once_and_the_batch_goes_on(smtp: Any, db: Any) -> None:
    smtp.refuse.add("nobody@example.org")
    with transaction.atomic():
        bad = services.enqueue_email(to="nobody@example.org", subject="s", text="t")
        good = services.enqueue_email(to="someone@example.org", subject="s", text="t")
    Worker().run_once()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Status.DEAD and "550" in bad.last_error
    assert DeliveryAttempt.objects.get(message=bad).response_code == "550"
    assert good.status == Status.SENT
    assert smtp.message_ids() == [good.message_id]


def test_a_dead_message_can_be_retried_by_an_admin(smtp: Any, admin_user: Any) -> None:
    smtp.refuse.add("nobody@example.org")
    with transaction.atomic():
        msg = services.enqueue_email(to="nobody@example.org", subject="s", text="t")
    Worker().run_once()
    smtp.refuse.clear()
    services.retry_message(OutboxMessage.objects.get(pk=msg.pk), actor=admin_user)
    Worker().run_once()
    msg.refresh_from_db()
    assert msg.status == Status.SENT
    assert smtp.message_ids() == [msg.message_id]


def test_a_refusal_mid_batch_costs_no_other_message_an_attempt(smtp: Any, db: Any) -> None:
    """One recipient refused (permanently, then temporarily) among others on one connection."""
    smtp.refuse.update({"gone@example.org", "full@example.org"})
    smtp.temporary = {"full@example.org"}
    addresses = ["a@example.org", "gone@example.org", "b@example.org", "full@example.org"]
    addresses += ["c@example.org"]
    with transaction.atomic():
        rows = [services.enqueue_email(to=a, subject="s", text="t") for a in addresses]
    Worker().run_once()
    by_address = {r.address: r for r in OutboxMessage.objects.all()}
    assert by_address["gone@example.org"].status == Status.DEAD
    assert by_address["full@example.org"].status == Status.FAILED
    for good in ("a@example.org", "b@example.org", "c@example.org"):
        assert by_address[good].status == Status.SENT, by_address[good].last_error
        assert by_address[good].attempts == 1
    assert sorted(smtp.message_ids()) == sorted(r.message_id for r in rows if r.address[0] in "abc")
    assert smtp.sessions == 1  # no reconnect was needed: the refusals were reset


def test_a_transaction_broken_off_mid_data_does_not_spill_into_the_next_message(
    smtp: Any, db: Any, settings: Any, monkeypatch: Any
) -> None:
    """The claim on the 2nd message is lost at the hand-over, after its body went out: the
    server must not receive it (nor take the next message's commands as its text), and the
    messages after it are sent at their first attempt."""
    from meetops.notifications import handover

    settings.EMAIL_TIMEOUT = 3  # today's failure is a client waiting on a server reading DATA
    with transaction.atomic():
        rows = [
            services.enqueue_email(to=f"{n}@example.org", subject=n, text="t")
            for n in ("first", "stolen", "third", "fourth")
        ]
    real_mark = handover.mark

    def mark(msg: Any, *, pipelined: bool = False) -> Any:
        if msg.address == "stolen@example.org":
            raise handover.LeaseLost(msg.pk)
        return real_mark(msg, pipelined=pipelined)

    monkeypatch.setattr(handover, "mark", mark)
    Worker().run_once()
    by_address = {r.address: r for r in OutboxMessage.objects.all()}
    for n in ("first", "third", "fourth"):
        row = by_address[f"{n}@example.org"]
        assert row.status == Status.SENT, row.last_error
        assert row.attempts == 1
    assert sorted(smtp.message_ids()) == sorted(
        r.message_id for r in rows if r.address != "stolen@example.org"
    )
    assert [str(m["Subject"]) for m in smtp.messages] == ["first", "third", "fourth"]


def test_a_mail_server_that_never_answers_costs_one_timeout_then_a_retry(
    settings: Any, db: Any
) -> None:
    """A server that takes the connection and says nothing holds the worker only for
    MEETOPS_EMAIL_TIMEOUT seconds; the message stays queued for a later attempt."""
    import socket

    from meetops.config.settings import EMAIL_TIMEOUT

    assert EMAIL_TIMEOUT == 60  # the default a worker runs with when nothing is set
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        with transaction.atomic():
            row = services.enqueue_email(to="quiet@example.org", subject="s", text="t")
        stats = Worker().run_once()
    finally:
        silent.close()
    row.refresh_from_db()
    assert stats.sent == 0
    assert row.status == Status.FAILED and row.attempts == 1  # "Failed, will retry"
    assert "timed out" in row.last_error
