"""What promotion adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
announcements of a meeting (P2.7), their poster and reach, and the notice board.
The hubs read it from the core registry; nothing outside promotion names it."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from meetops.core.registry import (
    ApiRouter,
    MeetingLink,
    MenuEntry,
    TemplateSlot,
    UrlInclude,
    registry,
)
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.people.signals import people_joined
from meetops.promotion import audit_labels, events, rules  # noqa: F401 - for what they register
from meetops.promotion.permissions import can_read_reach
from meetops.promotion.receivers import announcements_for_joiners


def _manages(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return can_read_reach(user, meeting)


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated)


registry["api_routers"].register(
    "promotion", ApiRouter("/", "meetops.promotion.api.router", order=215)
)
registry["urls"].register("promotion", UrlInclude("", "meetops.promotion.urls", order=215))
registry["menu"].register(
    "promotion",
    MenuEntry(
        pgettext_lazy("menu", "Notice board"),
        "promotion:board",
        order=35,
        area="notices",
        visible=_signed_in,
        pages=("promotion:notice",),
    ),
)
registry["meeting_links"].register(
    "promotion",
    MeetingLink("promotion/_meeting_link.html", order=35, visible=_manages, group="prepare"),
)
# The announcements on a public meeting's public page (invitations names no announcement).
registry["page_slots"].register(
    "promotion.event",
    TemplateSlot("promotion/_public_notices.html", order=10, slot="event.notices"),
)
# People who join an audience after an announcement still hear of upcoming meetings (P2.7).
people_joined.connect(announcements_for_joiners, dispatch_uid="promotion.late_joiners")
