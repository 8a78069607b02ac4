"""What reports adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the summary report and leaders' instructions.
The hubs read it from the core registry; nothing outside reports names it."""

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
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.reports import events, from_message, rules  # noqa: F401 - for what they register
from meetops.reports.inbox import reports_waiting, reports_waiting_many
from meetops.reports.permissions import can_read_report


def _readers(user: User, meeting: Meeting, can_manage: bool) -> bool:
    """The writers and the leaders it went to: the others would meet a refusal behind it."""
    return can_manage or can_read_report(user, meeting)


registry["api_routers"].register("reports", ApiRouter("/", "meetops.reports.api.router", order=140))
registry["urls"].register("reports", UrlInclude("", "meetops.reports.urls", order=120))
registry["menu"].register(
    "approvals",
    MenuEntry(
        _("Waiting for me"), "approvals", order=40, area="approvals", badge="approvals_badge"
    ),
)
registry["meeting_links"].register(
    "reports", MeetingLink("reports/_meeting_link.html", order=60, visible=_readers, group="after")
)
registry["inbox"].register(
    "reports", InboxSource(reports_waiting, order=10, many=reports_waiting_many)
)
registry["message_decisions"].register("reports", from_message.REPORT)
