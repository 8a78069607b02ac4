"""What followup adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the follow-up of action items.
The hubs read it from the core registry; nothing outside followup names it."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from meetops.core.registry import ApiRouter, InboxSource, MenuEntry, UrlInclude, has_role, registry
from meetops.followup import audit_labels, events, jobs  # noqa: F401 - for what they register
from meetops.followup.inbox import waiting_items, waiting_items_many

registry["api_routers"].register(
    "followup", ApiRouter("/", "meetops.followup.api.router", order=160)
)
registry["api_routers"].register(
    "followup.people", ApiRouter("/", "meetops.followup.api_people.router", order=161)
)
registry["api_routers"].register(
    "followup.review", ApiRouter("/", "meetops.followup.api_review.router", order=162)
)
registry["urls"].register("followup", UrlInclude("followup/", "meetops.followup.urls", order=150))
registry["menu"].register(
    "followup",
    MenuEntry(
        pgettext_lazy("menu", "Follow-up"),
        "followup:board",
        order=60,
        area="followup",
        visible=has_role("admin", "organiser", "leader"),
    ),
)
registry["inbox"].register(
    "followup", InboxSource(waiting_items, order=50, many=waiting_items_many)
)
