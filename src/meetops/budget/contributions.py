"""What budget adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the budget, supplies and the expense settlement.
The hubs read it from the core registry; nothing outside budget names it."""

from __future__ import annotations

from meetops.budget import audit_labels, from_message, notify, plan, rules  # noqa: F401 - for what they register
from meetops.budget.inbox import budgets_waiting, budgets_waiting_many
from meetops.budget.permissions import can_view_budget
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


def _may_read_budget(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return can_view_budget(user, meeting)


registry["api_routers"].register(
    "budget", ApiRouter("/meetings", "meetops.budget.api.router", order=40)
)
registry["urls"].register("budget", UrlInclude("meetings/", "meetops.budget.urls", order=60))
registry["meeting_links"].register(
    "budget",
    MeetingLink("budget/_meeting_links.html", order=30, visible=_may_read_budget, group="prepare"),
)
registry["inbox"].register(
    "budget", InboxSource(budgets_waiting, order=40, many=budgets_waiting_many)
)
registry["archive"].register("budget", ArchiveSource("meetops.budget.archive.budget", order=50))
registry["message_decisions"].register("budget", from_message.BUDGET)
# What meetings paid a supplier, on the register's supplier page (partners names no budget).
registry["page_slots"].register(
    "budget.supplier_payments",
    TemplateSlot("budget/_supplier_payments.html", order=10, slot="partners.supplier"),
)
