"""The outbox interface other apps use: enqueue, enqueue_email, enqueue_emails."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from meetops.notifications import services
from meetops.notifications.models import Channel, ChannelPreference, OutboxMessage, Status


def test_enqueue_writes_one_row_per_recipient_and_channel(
    make_meeting: Any, person: Any, organiser: Any
) -> None:
    meeting = make_meeting(title="党委会")
    alice = person("alice", email="alice@example.org", language="en")
    bob = person("bob", email="bob@example.org", language="zh-hant")
    ChannelPreference.objects.create(user=bob, event="meeting.changed", channels=["inapp"])
    with transaction.atomic():
        n = services.enqueue(
            event="meeting.changed",
            recipients=[alice, bob, "guest@example.org", organiser],
            context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
            meeting=meeting,
            actor=organiser,
        )
    rows = list(OutboxMessage.objects.order_by("id"))
    assert n == 4
    assert [(r.channel, r.user_id, r.address) for r in rows] == [
        (Channel.EMAIL, alice.pk, "alice@example.org"),
        (Channel.INAPP, alice.pk, ""),
        (Channel.INAPP, bob.pk, ""),
        (Channel.EMAIL, None, "guest@example.org"),
    ]
    assert all(r.status == Status.QUEUED for r in rows)
    assert rows[0].subject == "Changed: 党委会"
    assert rows[2].subject.startswith("已變更") or "党委会" in rows[2].subject
    assert "党委会" in rows[0].body and f"/meetings/{meeting.pk}/" in rows[0].body
    assert "<table>" in rows[0].html


def test_enqueue_in_a_rolled_back_transaction_leaves_nothing(
    make_meeting: Any, member: Any
) -> None:
    meeting = make_meeting()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue(
            event="meeting.changed",
            recipients=[member],
            context={"meeting": meeting},
            meeting=meeting,
        )
        raise RuntimeError("the caller's change failed")
    assert not OutboxMessage.objects.exists()


def test_dedupe_key_queues_once_per_recipient_and_channel(
    make_meeting: Any, member: Any, make_user: Any
) -> None:
    meeting = make_meeting()
    other = make_user(email="o@example.org")
    for _ in range(2):
        with transaction.atomic():
            services.enqueue(
                event="meeting.reminder",
                recipients=[member],
                context={"meeting": meeting},
                meeting=meeting,
                dedupe_key=f"reminder:{meeting.pk}:60",
            )
    with transaction.atomic():
        services.enqueue(
            event="meeting.reminder",
            recipients=[member, other],
            context={"meeting": meeting},
            meeting=meeting,
            dedupe_key=f"reminder:{meeting.pk}:60",
        )
    assert (
        OutboxMessage.objects.filter(user=member).count() == 1
    )  # member has no e-mail: in-app only
    assert OutboxMessage.objects.filter(user=other).count() == 2


def test_enqueue_email_with_attachment_and_dedupe(make_meeting: Any) -> None:
    meeting = make_meeting()
    with transaction.atomic():
        first = services.enqueue_email(
            to="guest@example.org",
            subject="Invitation",
            text="Hello",
            html="<p>Hello</p>",
            attachments=[("invite.ics", b"BEGIN:VCALENDAR", "text/calendar; method=REQUEST")],
            dedupe_key="invite:1:0",
            meeting=meeting,
        )
        again = services.enqueue_email(
            to="guest@example.org", subject="x", text="x", dedupe_key="invite:1:0"
        )
    assert first is not None and again is None
    assert first.attachments[0]["filename"] == "invite.ics"
    assert first.message_id.startswith(f"<{first.uuid}@")


def test_enqueue_emails_bulk(db: Any) -> None:
    with transaction.atomic():
        n = services.enqueue_emails(
            {"to": f"p{i}@example.org", "subject": "s", "text": "t", "dedupe_key": f"k{i}"}
            for i in range(50)
        )
    assert n == 50 and OutboxMessage.objects.count() == 50


def test_unknown_event_is_a_programming_error(db: Any) -> None:
    with pytest.raises(LookupError):
        services.enqueue(event="nope", recipients=[], context={})
