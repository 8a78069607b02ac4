"""What meetings adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
meetings, their list and calendar.
The hubs read it from the core registry; nothing outside meetings names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import (
    ApiRouter,
    AuditScope,
    MenuEntry,
    SearchIndex,
    UrlInclude,
    registry,
)
from meetops.meetings import audit_labels, rules, search  # noqa: F401 - for what they register
from meetops.meetings.selectors import meetings_audit_scope

registry["api_routers"].register(
    "meetings", ApiRouter("/meetings", "meetops.meetings.api.router", order=20)
)
registry["urls"].register("meetings", UrlInclude("meetings/", "meetops.meetings.urls", order=30))
registry["menu"].register(
    "meetings",
    MenuEntry(_("Meetings"), "meeting_list", order=20, area="meetings", pages=("meeting", "step")),
)
registry["menu"].register(
    "calendar",
    MenuEntry(_("Calendar"), "meeting_calendar", order=30, area="calendar"),
)
registry["audit_scope"].register("meetings", AuditScope(meetings_audit_scope, order=10))
registry["search_index"].register("meetings", SearchIndex(search.KIND, search.rebuild))
