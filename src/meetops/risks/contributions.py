"""What risks adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
risks, readiness, the emergency plan and the security plan.
The hubs read it from the core registry; nothing outside risks names it."""

from __future__ import annotations

from meetops.core.registry import (
    ApiRouter,
    ArchiveSource,
    InboxSource,
    MeetingLink,
    TemplateSlot,
    UrlInclude,
    registry,
)
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.risks import (  # noqa: F401 - for what they register (receivers: the start's record)
    audit_labels,
    from_message,
    notify,
    receivers,
    rules,
)
from meetops.risks.inbox import (
    plans_waiting,
    plans_waiting_many,
    security_plans_waiting,
    security_plans_waiting_many,
)
from meetops.risks.permissions import can_read_security
from meetops.risks.security import from_message as security_from_message
from meetops.risks.security import notify as security_notify  # noqa: F401 - its event


def _may_read_security(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return can_manage or can_read_security(user, meeting)


registry["api_routers"].register("risks", ApiRouter("/", "meetops.risks.api.router", order=130))
registry["api_routers"].register(
    "risks.security", ApiRouter("/", "meetops.risks.security.api.router", order=131)
)
registry["urls"].register("risks", UrlInclude("meetings/", "meetops.risks.urls", order=110))
registry["meeting_links"].register(
    "risks", MeetingLink("risks/_meeting_links.html", order=80, group="prepare")
)
registry["meeting_links"].register(
    "risks.security",
    MeetingLink("risks/_security_link.html", order=81, visible=_may_read_security, group="prepare"),
)
registry["meeting_links"].register(
    "risks.my_posts", MeetingLink("risks/_my_posts_panel.html", order=25, slot="panels")
)
registry["inbox"].register(
    "risks.emergency_plan", InboxSource(plans_waiting, order=30, many=plans_waiting_many)
)
registry["inbox"].register(
    "risks.security_plan",
    InboxSource(security_plans_waiting, order=31, many=security_plans_waiting_many),
)
registry["archive"].register(
    "risks.emergency_plan", ArchiveSource("meetops.risks.archive.emergency_plan", order=60)
)
registry["message_decisions"].register("risks.emergency_plan", from_message.PLAN)
registry["message_decisions"].register("risks.security_plan", security_from_message.SECURITY_PLAN)
# The sign-in desk shows each person's line of the approved door list; the staffing plan
# shows the security posts and their guards.
registry["page_slots"].register(
    "risks.door_check", TemplateSlot("risks/_door_check.html", order=20, slot="desk.person")
)
registry["page_slots"].register(
    "risks.staffing_posts",
    TemplateSlot("risks/_staffing_posts.html", order=20, slot="staffing.after"),
)
