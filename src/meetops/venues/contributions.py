"""What venues adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
rooms and their booking.
The hubs read it from the core registry; nothing outside venues names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import (
    ApiRouter,
    InboxSource,
    MeetingHook,
    MeetingLink,
    MenuEntry,
    UrlInclude,
    registry,
)
from meetops.venues import agenda_rooms, audit_labels, jobs, rules  # noqa: F401 - for what they register
from meetops.venues.coverage import is_covered
from meetops.venues.inbox import bookings_waiting, bookings_waiting_many
from meetops.venues.services import notify  # noqa: F401 - the booking notification events
from meetops.venues.services.follow import follow_meeting

registry["api_routers"].register("venues", ApiRouter("/", "meetops.venues.api.router", order=90))
registry["urls"].register("venues", UrlInclude("", "meetops.venues.urls", order=70))
registry["menu"].register(
    "rooms",
    MenuEntry(_("Rooms"), "venues_room_list", order=80, area="rooms", pages=("venues",)),
)
registry["meeting_links"].register(
    "venues.bookings", MeetingLink("venues/_meeting_bookings.html", order=20, slot="panels")
)
registry["inbox"].register(
    "venues.bookings", InboxSource(bookings_waiting, order=80, many=bookings_waiting_many)
)
# Before policy (order 10): the rooms follow a moved meeting first, then its steps are re-judged.
registry["meeting_hooks"].register(
    "venues", MeetingHook(order=5, on_rescheduled=follow_meeting, place=is_covered)
)
