"""What workim adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
WeCom, DingTalk and Feishu/Lark as sign-in, directory and a personal notification channel.
The hubs read it from the core registry; nothing outside workim names it."""

from __future__ import annotations

import importlib
import importlib.util

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import MenuEntry, TemplateSlot, UrlInclude, has_role, registry

# Imported for what they register (to-dos and calendars: their sync senders, syncs.py).
from meetops.workim import audit_labels, calendars, channel, jobs, receivers, todos  # noqa: F401

# Each platform's subpackage registers itself (its Platform and its directory provider type)
# when imported; a platform whose package is absent is simply not offered.
PLATFORM_PACKAGES = ("wecom", "dingtalk", "feishu")
for _name in PLATFORM_PACKAGES:
    if importlib.util.find_spec(f"meetops.workim.{_name}") is not None:
        importlib.import_module(f"meetops.workim.{_name}")

registry["urls"].register("workim", UrlInclude("im/", "meetops.workim.urls", order=17))
registry["menu"].register(
    "workim",
    MenuEntry(
        _("Work IM"),
        "workim_settings",
        order=126,
        area="workim",
        visible=has_role("admin"),
        pages=("workim_",),
    ),
)
registry["page_slots"].register(
    "workim.my_settings",
    TemplateSlot("workim/_my_settings.html", order=20, slot="settings.accounts"),
)
