"""Unconfirmed messages: held and shown to the people responsible, or queued again; sent again on request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meetops.core.models import AuditEntry
from meetops.notifications import handover, services
from meetops.notifications.models import Notification, OutboxMessage, Status
from meetops.notifications.worker import Worker

ALERT = "notifications.unconfirmed"


def queue(meeting: Any = None, to: str = "guest@example.org") -> OutboxMessage:
    with transaction.atomic():
        msg = services.enqueue_email(to=to, subject="议程变更", text="正文", meeting=meeting)
    assert msg is not None
    return msg


def hand_over_and_die(msg: OutboxMessage) -> OutboxMessage:
    """What a worker killed inside the window leaves: claimed, marker committed, lease run out."""
    [claimed] = Worker(name="doomed").claim(Q(pk=msg.pk), 1)
    handover.mark(claimed)
    OutboxMessage.objects.filter(pk=msg.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert Worker(name="rescuer").recover_expired() == 1
    msg.refresh_from_db()
    return msg


@pytest.fixture
def held(make_meeting: Any, organiser: Any) -> OutboxMessage:
    organiser.email = "organiser@example.org"
    organiser.save(update_fields=["email"])
    return hand_over_and_die(queue(make_meeting(title="周例会")))


def test_hold_marks_it_unconfirmed_and_tells_the_meeting_organiser(
    held: OutboxMessage, organiser: Any, admin_user: Any
) -> None:
    assert held.status == Status.UNCONFIRMED and held.sent_at is None
    assert list(held.attempts_log.values_list("outcome", flat=True)) == ["unconfirmed"]
    [note] = Notification.objects.filter(event=ALERT)
    assert note.user == organiser  # the meeting's people, not the administrators
    assert "guest@example.org" in note.title and "议程变更" in note.body
    assert note.url == f"/notifications/deliveries/?status=unconfirmed&meeting={held.meeting_id}"
    mail = OutboxMessage.objects.get(event=ALERT)
    assert mail.channel == "email" and mail.user == organiser
    assert "guest@example.org" in mail.subject and note.url in mail.body


def test_without_a_meeting_the_administrators_are_told(admin_user: Any, organiser: Any) -> None:
    hand_over_and_die(queue())
    assert list(Notification.objects.filter(event=ALERT).values_list("user", flat=True)) == [
        admin_user.pk
    ]


def test_resend_mode_queues_it_again_with_the_same_message_id(
    settings: Any, smtp: Any, make_meeting: Any
) -> None:
    settings.MEETOPS_OUTBOX_UNCONFIRMED = "resend"
    msg = hand_over_and_die(queue(make_meeting()))
    assert msg.status == Status.QUEUED and msg.handed_over_at is None
    assert not Notification.objects.filter(event=ALERT).exists()
    Worker().run_once()
    msg.refresh_from_db()
    assert msg.status == Status.SENT
    assert smtp.message_ids() == [msg.message_id]


def test_resend_mode_still_holds_robot_messages(settings: Any, admin_user: Any) -> None:
    """A chat group cannot drop a repeat: robot messages are held whatever the mode."""
    from meetops.notifications.models import RobotEndpoint

    settings.MEETOPS_OUTBOX_UNCONFIRMED = "resend"
    robot = RobotEndpoint.objects.create(
        name="群", kind="wecom", url="http://127.0.0.1:9/wecom?key=k"
    )
    services.send_test_message(robot, actor=admin_user)
    msg = OutboxMessage.objects.get(robot=robot)
    assert hand_over_and_die(msg).status == Status.UNCONFIRMED


def test_send_again_from_the_delivery_log(
    client: Any, held: OutboxMessage, organiser: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(organiser)
    url = f"/notifications/deliveries/?status=unconfirmed&meeting={held.meeting_id}"
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "guest@example.org" in page and f"/notifications/deliveries/{held.pk}/resend/" in page
    response = client.post(f"/notifications/deliveries/{held.pk}/resend/", {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    held.refresh_from_db()
    assert held.status == Status.QUEUED and held.handed_over_at is None
    entry = AuditEntry.objects.get(action="notifications.message.resent")
    assert entry.actor == organiser and entry.source == "ui"
    assert entry.data["message_id"] == held.message_id
    again = client.post(f"/notifications/deliveries/{held.pk}/resend/", {"next": url}, follow=True)
    assert "只有未确认的消息可以重新发送。" in again.content.decode()  # not_unconfirmed, in zh-Hans


def test_send_all_unconfirmed_again(
    client: Any, make_meeting: Any, organiser: Any, admin_user: Any
) -> None:
    meeting = make_meeting()
    mine = [hand_over_and_die(queue(meeting, f"p{i}@example.org")) for i in range(3)]
    other = hand_over_and_die(queue(make_meeting(actor=admin_user, title="别的会")))
    client.force_login(organiser)
    page = client.get(f"/notifications/deliveries/?status=unconfirmed&meeting={meeting.pk}")
    assert "重新发送全部 3 条未确认消息" in page.content.decode()
    client.post("/notifications/deliveries/resend-unconfirmed/", {"meeting": meeting.pk})
    assert {m.status for m in OutboxMessage.objects.filter(pk__in=[m.pk for m in mine])} == {
        Status.QUEUED
    }
    other.refresh_from_db()
    assert other.status == Status.UNCONFIRMED  # not this organiser's meeting
    assert AuditEntry.objects.filter(action="notifications.message.resent").count() == 3


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_people_who_may_not_see_it_cannot_send_it_again(
    client: Any, api_as: Any, held: OutboxMessage, request: Any, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.post(f"/notifications/deliveries/{held.pk}/resend/").status_code == 404
    assert client.get("/notifications/deliveries/?status=unconfirmed").status_code == 403
    assert client.post("/notifications/deliveries/resend-unconfirmed/").status_code == 403
    api = api_as(user)
    response = api.post(f"/api/v1/notifications/messages/{held.pk}/resend")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    listing = api.get("/api/v1/notifications/deliveries", status="unconfirmed")
    assert listing.status_code == 403 and listing.json()["error"]["code"] == "forbidden"
    held.refresh_from_db()
    assert held.status == Status.UNCONFIRMED


def test_api_lists_unconfirmed_and_sends_again(
    api_as: Any, held: OutboxMessage, organiser: Any, admin_user: Any
) -> None:
    api = api_as(organiser)
    for path in ("/api/v1/notifications/deliveries", "/api/v1/deliveries"):
        body = api.get(path, status="unconfirmed").json()
        assert [d["id"] for d in body["items"]] == [held.pk]
        assert body["items"][0]["status"] == "unconfirmed"
    response = api.post(f"/api/v1/notifications/messages/{held.pk}/resend")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    again = api.post(f"/api/v1/notifications/messages/{held.pk}/resend")
    assert again.status_code == 422 and again.json()["error"]["code"] == "not_unconfirmed"
    assert api.get("/api/v1/notifications/deliveries", status="unconfirmed").json()["count"] == 0
    hand_over_and_die(queue())
    everything = api_as(admin_user).post("/api/v1/notifications/messages/resend-unconfirmed", {})
    assert everything.status_code == 202 and everything.json() == {"queued": 1}
    assert (
        AuditEntry.objects.filter(action="notifications.message.resent", source="api").count() == 2
    )


def test_cli_lists_and_sends_again(held: OutboxMessage) -> None:
    """`meetops outbox unconfirmed [--resend]` (the `meetops` entry point runs commands as source cli)."""
    from io import StringIO

    from django.core.management import call_command

    from meetops.core.audit import audit_context
    from meetops.core.models import AuditSource

    out = StringIO()
    with audit_context(AuditSource.CLI):
        call_command("outbox", "unconfirmed", stdout=out)
        text = out.getvalue()
        assert f"{held.pk}\t" in text and "guest@example.org" in text and held.message_id in text
        assert "1 unconfirmed" in text
        call_command("outbox", "unconfirmed", "--resend", stdout=out)
    assert "1 queued again" in out.getvalue()
    held.refresh_from_db()
    assert held.status == Status.QUEUED
    entry = AuditEntry.objects.get(action="notifications.message.resent")
    assert entry.source == "cli" and entry.actor is None


def test_connection_lost_after_the_dot_is_held_in_hold_mode(smtp: Any, admin_user: Any) -> None:
    """The server got the message, then the connection dropped before its answer: unconfirmed, told, not re-sent."""
    smtp.hang_up_at = 1
    msg = queue()
    Worker().run_once()
    msg.refresh_from_db()
    assert msg.status == Status.UNCONFIRMED
    assert msg.attempts_log.get().outcome == "unconfirmed"
    assert Notification.objects.filter(event=ALERT, user=admin_user).exists()
    assert smtp.message_ids() == [msg.message_id]  # it did arrive: nobody could know


def test_connection_lost_after_the_dot_is_sent_again_in_resend_mode(
    settings: Any, smtp: Any, db: Any
) -> None:
    settings.MEETOPS_OUTBOX_UNCONFIRMED = "resend"
    smtp.hang_up_at = 1
    msg = queue()
    Worker().run_once()
    msg.refresh_from_db()
    assert msg.status == Status.QUEUED and msg.next_attempt_at > timezone.now()
    OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=timezone.now())
    Worker().run_once()
    msg.refresh_from_db()
    assert msg.status == Status.SENT
    assert smtp.message_ids() == [msg.message_id, msg.message_id]  # the same Message-ID twice


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_marker_commit_is_pipelined_with_the_dot_on_postgresql(smtp: Any) -> None:
    """Outside any atomic block (as in a worker) PostgreSQL gets BEGIN, the marker UPDATE and a
    COMMIT written right before the "."; the connection is clean afterwards."""
    from django.db import connection

    statements: list[str] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    msgs = [queue(to=f"p{i}@example.org") for i in range(3)]
    with connection.execute_wrapper(spy):
        Worker().run_once(with_jobs=False)
    assert sorted(smtp.message_ids()) == sorted(m.message_id for m in msgs)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    assert statements.count("BEGIN") == (3 if connection.vendor == "postgresql" else 0)
    assert all(m.handed_over_at for m in OutboxMessage.objects.all())
