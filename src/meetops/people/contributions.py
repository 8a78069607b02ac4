"""What people adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
sign-in, people, departments and API tokens.
The hubs read it from the core registry; nothing outside people names it."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from meetops.core.registry import ApiRouter, MenuEntry, UrlInclude, registry
from meetops.people import audit_labels  # noqa: F401 - for what it registers
from meetops.people.permissions import can_manage_roles

registry["api_routers"].register("people", ApiRouter("/", "meetops.people.api.router", order=10))
registry["urls"].register("people", UrlInclude("", "meetops.people.urls", order=10))
registry["menu"].register(
    "security",
    MenuEntry(
        pgettext_lazy("menu", "Security"), "security_admin", order=125, visible=can_manage_roles
    ),
)
