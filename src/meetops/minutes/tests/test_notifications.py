"""Publishing tells every participant through the outbox, in the same transaction, in their language."""

from __future__ import annotations

import pytest
from django.db import transaction

from meetops.minutes import services
from meetops.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(written, recorder, host):
    services.submit_minutes(written, actor=recorder)
    return services.approve_minutes(written, actor=host)


def test_publishing_queues_in_app_and_email_for_every_participant(approved, host, recorder, member):
    services.publish_minutes(approved, actor=host)
    rows = OutboxMessage.objects.filter(event="minutes.published")
    by_user = {(r.user.username if r.user else r.address, r.channel) for r in rows}
    assert {
        (member.username, "inapp"),
        (recorder.username, "inapp"),
        (host.username, "inapp"),
    } <= by_user
    assert ("host", "email") in by_user
    assert ("wang@example.org", "email") in by_user  # a guest known by e-mail only
    mail = rows.get(user=host, channel="email")
    assert f"/meetings/{approved.meeting_id}/minutes/" in mail.body
    assert "本次會議的紀要已經主持人審定並發佈。" in mail.body
    assert all(r.url == f"/meetings/{approved.meeting_id}/minutes/" for r in rows)
    # Each in their language: the host reads Traditional Chinese, the rest Simplified.
    host_row = rows.get(user=host, channel="inapp")
    member_row = rows.get(user=member, channel="inapp")
    assert host_row.subject.startswith("會議紀要已發佈")
    assert member_row.subject.startswith("会议纪要已发布")
    assert "季度工作会议" in member_row.subject


def test_a_rolled_back_publish_queues_nothing(approved, host):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publish_minutes(approved, actor=host)
        assert OutboxMessage.objects.filter(event="minutes.published").exists()
        raise RuntimeError("the change is rolled back")
    assert not OutboxMessage.objects.filter(event="minutes.published").exists()
    approved.refresh_from_db()
    assert approved.state == "approved"


def test_publishing_again_after_a_new_revision_tells_people_again(approved, host, recorder):
    services.publish_minutes(approved, actor=host)
    first = OutboxMessage.objects.filter(event="minutes.published").count()
    services.reopen_minutes(approved, actor=host, reason="补充决定")
    services.submit_minutes(approved, actor=recorder)
    services.approve_minutes(approved, actor=host)
    services.publish_minutes(approved, actor=host)
    assert OutboxMessage.objects.filter(event="minutes.published").count() == 2 * first
