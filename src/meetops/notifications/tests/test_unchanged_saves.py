"""A robot or webhook saved as it was writes nothing: no row touched, no audit entry, and the
page says "nothing changed". A new address or secret is a change, logged without showing it."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.models import AuditEntry
from meetops.notifications import services
from meetops.notifications.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}
TOKEN_URL = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN-ONE"


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_a_robot_saved_as_it_was_is_not_audited(client: Any, admin_user: Any) -> None:
    fields = {"name": "党办群", "kind": "dingtalk", "url": TOKEN_URL, "rate_per_minute": 20}
    robot = services.save_robot_endpoint(None, actor=admin_user, secret="SEC1", **fields)
    services.save_robot_endpoint(robot, actor=admin_user, secret="SEC1", **fields)
    services.save_robot_endpoint(robot, actor=admin_user, **fields)
    assert len(_entries("notifications.robot.saved")) == 1
    services.save_robot_endpoint(robot, actor=admin_user, **{**fields, "url": TOKEN_URL + "2"})
    services.save_robot_endpoint(robot, actor=admin_user, secret="SEC2", **fields)
    *_, moved, rekeyed = _entries("notifications.robot.saved")
    assert "TOKEN-ONE" not in str(moved.changes) + str(moved.data)
    assert rekeyed.data["secret_changed"] is True

    client.force_login(admin_user)
    form = {"name": "党办群", "kind": "dingtalk", "url": "", "secret": "", "rate_per_minute": 20}
    form["enabled"] = "on"
    page = client.post(f"/notifications/robots/{robot.pk}/", form, follow=True, headers=ZH)
    assert "未作修改" in page.content.decode()
    assert len(_entries("notifications.robot.saved")) == 3


def test_a_webhook_saved_as_it_was_is_not_audited(client: Any, admin_user: Any) -> None:
    fields = {"name": "OA", "url": "https://oa.example.org/h", "events": ["meeting.changed"]}
    hook, _secret = services.save_webhook_endpoint(None, actor=admin_user, **fields)
    _hook, secret = services.save_webhook_endpoint(hook, actor=admin_user, **fields)
    assert secret is None and not _entries("notifications.webhook.saved")
    services.save_webhook_endpoint(hook, actor=admin_user, enabled=False)
    assert len(_entries("notifications.webhook.saved")) == 1

    client.force_login(admin_user)
    form = {"name": "OA", "url": "https://oa.example.org/h", "events": ["meeting.changed"]}
    page = client.post(f"/notifications/webhooks/{hook.pk}/", form, follow=True, headers=ZH)
    assert "未作修改" in page.content.decode()
    assert len(_entries("notifications.webhook.saved")) == 1
    form["enabled"] = "on"
    page = client.post(f"/notifications/webhooks/{hook.pk}/", form, follow=True, headers=ZH)
    assert "未作修改" not in page.content.decode()
    assert WebhookEndpoint.objects.get(pk=hook.pk).enabled
    assert len(_entries("notifications.webhook.saved")) == 2
