"""What partners adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the register of suppliers and external venues, their use by meetings and their ratings.
The hubs read it from the core registry; nothing outside partners names it but the apps that
choose a supplier (budget's payee)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import ApiRouter, MeetingLink, MenuEntry, UrlInclude, registry
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_view_meeting
from meetops.partners import audit_labels, jobs, notify  # noqa: F401 - for what they register
from meetops.partners.permissions import can_read_register
from meetops.people.models import User


def _sees_suppliers(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return can_view_meeting(user, meeting) and (can_manage or can_read_register(user))


registry["api_routers"].register(
    "partners", ApiRouter("/partners", "meetops.partners.api.router", order=220)
)
registry["urls"].register("partners", UrlInclude("", "meetops.partners.urls", order=200))
registry["menu"].register(
    "partners",
    MenuEntry(
        _("Suppliers"),
        "partners:register",
        order=75,
        area="partners",
        visible=can_read_register,
    ),
)
registry["meeting_links"].register(
    "partners",
    MeetingLink("partners/_meeting_link.html", order=35, visible=_sees_suppliers, group="prepare"),
)
