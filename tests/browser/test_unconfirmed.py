"""An unconfirmed message in a real chromium: the organiser is told under the bell, opens the
delivery log filtered to unconfirmed messages and sends it again with one click."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_organiser_sends_an_unconfirmed_message_again(
    open_page: Any, sign_in: Any, organiser: Any, make_meeting: Any
) -> None:
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from meetops.notifications import handover, services
    from meetops.notifications.models import OutboxMessage, Status
    from meetops.notifications.worker import Worker

    meeting = make_meeting(title="党委会（第5次）")
    with transaction.atomic():
        msg = services.enqueue_email(
            to="guest@example.org", subject="议程变更", text="正文", meeting=meeting
        )
    # What a worker killed between the sent marker and the final "." leaves behind.
    [claimed] = Worker(name="doomed").claim(Q(pk=msg.pk), 1)
    handover.mark(claimed)
    OutboxMessage.objects.filter(pk=msg.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    Worker(name="rescuer").recover_expired()

    page = open_page()
    sign_in(page, "organiser")
    page.locator("a.bell .bell-count").filter(has_text="1").wait_for()
    page.goto("/notifications/")
    item = page.locator("li.unread", has_text="guest@example.org")
    item.get_by_role("button", name="打开").click()
    page.wait_for_url("**/notifications/deliveries/?status=unconfirmed*")
    row = page.locator("tr", has_text="guest@example.org")
    row.get_by_text("未确认").wait_for()
    row.get_by_role("button", name="重新发送").click()
    page.locator(".flash", has_text="重新发送").wait_for()
    msg.refresh_from_db()
    assert msg.status == Status.QUEUED and msg.message_id == claimed.message_id
