"""What minutes adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
minutes and action items.
The hubs read it from the core registry; nothing outside minutes names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import (
    ApiRouter,
    InboxSource,
    MeetingLink,
    MenuEntry,
    UrlInclude,
    registry,
)
from meetops.minutes import (  # noqa: F401 - for what they register
    audit_labels,
    events,
    from_message,
    rules,
)
from meetops.minutes.inbox import minutes_waiting, minutes_waiting_many

registry["api_routers"].register("minutes", ApiRouter("/", "meetops.minutes.api.router", order=120))
registry["urls"].register("minutes", UrlInclude("", "meetops.minutes.urls", order=100))
registry["menu"].register(
    "my_actions",
    MenuEntry(_("My action items"), "my_actions", order=50, area="actions"),
)
registry["meeting_links"].register(
    "minutes", MeetingLink("minutes/_meeting_links.html", order=50, group="after")
)
registry["inbox"].register(
    "minutes", InboxSource(minutes_waiting, order=20, many=minutes_waiting_many)
)
registry["message_decisions"].register("minutes", from_message.MINUTES)
