"""What training adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
training needs, courses, records and their reminders (P9.4).
The hubs read it from the core registry; nothing outside training names it."""

from __future__ import annotations

from meetops.core.registry import ApiRouter, UrlInclude, registry
from meetops.training import audit_labels, jobs, notify  # noqa: F401 - for what they register

registry["api_routers"].register(
    "training", ApiRouter("/training", "meetops.training.api.router", order=215)
)
registry["urls"].register("training", UrlInclude("training/", "meetops.training.urls", order=75))
