"""What agenda adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the agenda and the meeting plan.
The hubs read it from the core registry; nothing outside agenda names it."""

from __future__ import annotations

from meetops.agenda import audit_labels, rules  # noqa: F401 - for what they register
from meetops.core.registry import ApiRouter, ArchiveSource, MeetingLink, UrlInclude, registry

registry["api_routers"].register(
    "agenda", ApiRouter("/meetings", "meetops.agenda.api.router", order=30)
)
registry["urls"].register("agenda", UrlInclude("meetings/", "meetops.agenda.urls", order=50))
registry["meeting_links"].register(
    "agenda.agenda", MeetingLink("agenda/_meeting_agenda.html", order=10, slot="panels")
)
registry["archive"].register("agenda", ArchiveSource("meetops.agenda.archive.agenda", order=10))
