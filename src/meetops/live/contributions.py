"""What live adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
what happens in the room.
The hubs read it from the core registry; nothing outside live names it."""

from __future__ import annotations

from meetops.core.registry import ApiRouter, MeetingLink, UrlInclude, registry
from meetops.live import audit_labels, events, jobs, rules  # noqa: F401 - for what they register

registry["api_routers"].register("live", ApiRouter("/", "meetops.live.api.router", order=150))
registry["urls"].register("live", UrlInclude("meetings/", "meetops.live.urls", order=140))
registry["meeting_links"].register(
    "live", MeetingLink("live/_meeting_links.html", order=90, group="during")
)
