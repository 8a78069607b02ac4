"""What seating adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
seating.
The hubs read it from the core registry; nothing outside seating names it."""

from __future__ import annotations

from meetops.core.registry import ApiRouter, MeetingLink, TemplateSlot, UrlInclude, registry
from meetops.seating import audit_labels, notify, rules  # noqa: F401 - for what they register

registry["api_routers"].register("seating", ApiRouter("/", "meetops.seating.api.router", order=170))
registry["urls"].register("seating", UrlInclude("", "meetops.seating.urls", order=160))
registry["meeting_links"].register(
    "seating", MeetingLink("seating/_meeting_link.html", order=100, group="prepare")
)
# The seat line on the RSVP page of a participant who accepted (invitations names no seat).
registry["page_slots"].register(
    "seating.rsvp", TemplateSlot("seating/_your_seat.html", order=10, slot="rsvp.accepted")
)
