"""What records adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the archive.
The hubs read it from the core registry; nothing outside records names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import (
    ApiRouter,
    InboxSource,
    MeetingLink,
    MenuEntry,
    SearchIndex,
    SearchSource,
    UrlInclude,
    has_role,
    registry,
)
from meetops.records import (  # noqa: F401 - for what they register
    audit_labels,
    from_message,
    jobs,
    notify,
    rules,
    search,
)
from meetops.records.inbox import destructions_waiting, destructions_waiting_many

registry["api_routers"].register("records", ApiRouter("/", "meetops.records.api.router", order=200))
registry["urls"].register("records", UrlInclude("", "meetops.records.urls", order=180))
registry["menu"].register(
    "archive",
    MenuEntry(
        _("Archive"),
        "records:search",
        order=110,
        area="archive",
        visible=has_role("admin", "archivist"),
    ),
)
registry["meeting_links"].register(
    "records", MeetingLink("records/_meeting_links.html", order=120, group="archive")
)
registry["inbox"].register(
    "records.destructions",
    InboxSource(destructions_waiting, order=60, many=destructions_waiting_many),
)
registry["search"].register(
    "records.archive",
    SearchSource(_("Archive"), "records:search", order=10, visible=has_role("admin", "archivist")),
)
registry["search_index"].register("records", SearchIndex(search.KIND, search.rebuild))
registry["message_decisions"].register("records.destruction", from_message.DESTRUCTION)
