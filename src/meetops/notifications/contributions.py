"""What notifications adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
notifications: the bell, preferences and the outbox.
The hubs read it from the core registry; nothing outside notifications names it."""

from __future__ import annotations

from meetops.core.registry import ApiRouter, TemplateSlot, UrlInclude, registry
from meetops.notifications import (  # noqa: F401 - for what they register
    audit_labels,
    digest,
    events,
    reminders,
)
from meetops.notifications.metrics import outbox_metrics

registry["api_routers"].register(
    "notifications", ApiRouter("/", "meetops.notifications.api.router", order=100)
)
registry["urls"].register(
    "notifications", UrlInclude("notifications/", "meetops.notifications.urls", order=90)
)
registry["toolbar"].register(
    "notifications.bell", TemplateSlot("notifications/_bell.html", order=10)
)
registry["metrics"].register("notifications.outbox", outbox_metrics)
