"""What invitations adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
participants, invitations, RSVP and saved groups.
The hubs read it from the core registry; nothing outside invitations names it."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetops.core.registry import (
    ApiRouter,
    InboxSource,
    MeetingHook,
    MeetingLink,
    MenuEntry,
    UrlInclude,
    has_role,
    registry,
)
from meetops.invitations import audit_labels, rules  # noqa: F401 - for what they register
from meetops.invitations.inbox import rsvps_waiting, rsvps_waiting_many
from meetops.invitations.models import Response, SubstituteStatus
from meetops.meetings.models import Meeting
from meetops.people.models import User


def _not_coming() -> Q:
    """Who declined, or answered that a substitute comes instead, unless the organiser refused
    the substitute (the substitute, once accepted, is a participant of their own)."""
    return Q(invitation__response=Response.DECLINE) | (
        Q(invitation__response=Response.SUBSTITUTE)
        & ~Q(invitation__substitute_status=SubstituteStatus.REFUSED)
    )


def _managers(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return can_manage


registry["api_routers"].register(
    "invitations", ApiRouter("/meetings", "meetops.invitations.api.router", order=60)
)
registry["api_routers"].register(
    "invitations.rsvp", ApiRouter("/rsvp", "meetops.invitations.api.rsvp_router", order=70)
)
registry["api_routers"].register(
    "invitations.groups",
    ApiRouter("/groups", "meetops.invitations.api_groups.groups_router", order=80),
)
registry["urls"].register("invitations", UrlInclude("", "meetops.invitations.urls", order=40))
registry["menu"].register(
    "groups",
    MenuEntry(
        _("Saved groups"),
        "invitations:groups",
        order=100,
        area="groups",
        visible=has_role("admin", "organiser"),
    ),
)
registry["meeting_links"].register(
    "invitations.participants",
    MeetingLink("invitations/_meeting_links.html", order=20, group="prepare"),
)
registry["meeting_links"].register(
    "invitations.rsvp",
    MeetingLink("invitations/_rsvp_link.html", order=70, visible=_managers, group="prepare"),
)
registry["inbox"].register(
    "invitations.rsvp", InboxSource(rsvps_waiting, order=5, many=rsvps_waiting_many)
)
registry["meeting_hooks"].register("invitations", MeetingHook(order=50, not_coming=_not_coming))

if apps.is_installed("meetops.notifications"):
    from meetops.invitations import jobs  # noqa: F401 - the deadline reminders mail through it
    from meetops.invitations.from_message import LEAVE, RSVP  # their events are notifications'

    registry["message_decisions"].register("invitations.rsvp", RSVP)
    registry["message_decisions"].register("invitations.leave", LEAVE)
