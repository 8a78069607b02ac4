"""Outgoing webhooks managed on a page (and the API) by administrators: secret shown once, events chosen, test send."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.models import AuditEntry
from meetops.notifications.models import OutboxMessage, Status, WebhookEndpoint
from meetops.notifications.worker import Worker


@pytest.mark.parametrize(
    ("persona", "status"), [("organiser", 403), ("member", 403), ("outsider", 403)]
)
def test_only_administrators_manage_webhooks(
    client: Any, api_as: Any, request: Any, persona: str, status: int, admin_user: Any
) -> None:
    hook = WebhookEndpoint.objects.create(name="ERP", url="https://erp.example.org/h", secret="s")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/notifications/webhooks/").status_code == status
    assert client.get(f"/notifications/webhooks/{hook.pk}/").status_code == status
    assert client.post(f"/notifications/webhooks/{hook.pk}/disable/").status_code == status
    response = api_as(user).get("/api/v1/notifications/webhooks")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    hook.refresh_from_db()
    assert hook.enabled
    client.force_login(admin_user)
    assert client.get("/notifications/webhooks/999999/").status_code == 404


def test_admin_creates_a_webhook_sees_the_secret_once_and_test_sends(
    client: Any, admin_user: Any, robot_server: Any
) -> None:
    client.force_login(admin_user)
    assert "meeting.cancelled" in client.get("/notifications/webhooks/new/").content.decode()
    response = client.post(
        "/notifications/webhooks/new/",
        {
            "name": "OA 系统",
            "url": robot_server.url("/hook"),
            "events": ["meeting.changed", "meeting.cancelled"],
            "enabled": "on",
        },
    )
    hook = WebhookEndpoint.objects.get()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert len(hook.secret) >= 32 and hook.secret in response.content.decode()
    assert hook.events == ["meeting.changed", "meeting.cancelled"]
    listing = client.get("/notifications/webhooks/").content.decode()
    assert "OA 系统" in listing and hook.secret not in listing and hook.masked_secret in listing
    assert hook.secret not in client.get(f"/notifications/webhooks/{hook.pk}/").content.decode()

    # The receiving system knows the fixture's secret; the signature is checked there.
    WebhookEndpoint.objects.filter(pk=hook.pk).update(secret=robot_server.WEBHOOK_SECRET)
    assert client.post(f"/notifications/webhooks/{hook.pk}/test/").status_code == 302
    Worker().run_once(with_jobs=False)
    [received] = robot_server.accepted("webhook")
    assert received["body"]["event"] == "notifications.test"
    assert OutboxMessage.objects.get(webhook=hook).status == Status.SENT

    client.post(f"/notifications/webhooks/{hook.pk}/disable/")
    hook.refresh_from_db()
    assert not hook.enabled
    client.post(f"/notifications/webhooks/{hook.pk}/enable/")
    rotated = client.post(f"/notifications/webhooks/{hook.pk}/rotate/")
    hook.refresh_from_db()
    assert hook.enabled and hook.secret != robot_server.WEBHOOK_SECRET
    assert hook.secret in rotated.content.decode()
    assert client.post(f"/notifications/webhooks/{hook.pk}/explode/").status_code == 404
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "notifications.webhook.created",
        "notifications.webhook.saved",
        "notifications.webhook.tested",
        "notifications.webhook.secret_rotated",
    } <= actions
    assert not any(hook.secret in str(e.data) + str(e.changes) for e in AuditEntry.objects.all())


def test_webhook_api(api_as: Any, admin_user: Any) -> None:
    api = api_as(admin_user)
    created = api.post(
        "/api/v1/notifications/webhooks",
        {
            "name": "ERP",
            "url": "https://erp.example.org/in?token=abc",
            "events": ["meeting.changed"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    hook = WebhookEndpoint.objects.get()
    assert body["secret"] == hook.secret and body["url"] == "https://erp.example.org/in?…"
    [listed] = api.get("/api/v1/notifications/webhooks").json()
    assert "secret" not in listed and listed["secret_hint"] == hook.secret[:4] + "…"
    patched = api.patch(f"/api/v1/notifications/webhooks/{hook.pk}", {"enabled": False})
    assert patched.status_code == 200 and patched.json()["enabled"] is False
    bad = api.patch(f"/api/v1/notifications/webhooks/{hook.pk}", {"events": ["no.such"]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_event"
    bad = api.post("/api/v1/notifications/webhooks", {"name": "x", "url": "ftp://x"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_url"
    assert api.post(f"/api/v1/notifications/webhooks/{hook.pk}/test").status_code == 202
    assert OutboxMessage.objects.filter(webhook=hook, event="notifications.test").count() == 1
