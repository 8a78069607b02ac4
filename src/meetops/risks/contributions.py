"""What risks adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
risks, readiness and the emergency plan.
The hubs read it from the core registry; nothing outside risks names it."""

from __future__ import annotations

from meetops.core.registry import (
    ApiRouter,
    ArchiveSource,
    InboxSource,
    MeetingLink,
    UrlInclude,
    registry,
)
from meetops.risks import (  # noqa: F401 - for what they register (receivers: the start's record)
    audit_labels,
    from_message,
    notify,
    receivers,
    rules,
)
from meetops.risks.inbox import plans_waiting

registry["api_routers"].register("risks", ApiRouter("/", "meetops.risks.api.router", order=130))
registry["urls"].register("risks", UrlInclude("meetings/", "meetops.risks.urls", order=110))
registry["meeting_links"].register(
    "risks", MeetingLink("risks/_meeting_links.html", order=80, group="prepare")
)
registry["inbox"].register("risks.emergency_plan", InboxSource(plans_waiting, order=30))
registry["archive"].register(
    "risks.emergency_plan", ArchiveSource("meetops.risks.archive.emergency_plan", order=60)
)
registry["message_decisions"].register("risks.emergency_plan", from_message.PLAN)
