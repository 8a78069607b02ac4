"""What attendance adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
sign-in and attendance.
The hubs read it from the core registry; nothing outside attendance names it."""

from __future__ import annotations

from meetops.attendance import audit_labels, rules  # noqa: F401 - for what they register
from meetops.attendance.permissions import can_run_desk
from meetops.core.registry import ApiRouter, ArchiveSource, MeetingLink, UrlInclude, registry
from meetops.meetings.models import Meeting
from meetops.people.models import User


def _runs_desk(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return can_run_desk(user, meeting)


registry["api_routers"].register(
    "attendance", ApiRouter("/meetings", "meetops.attendance.api.router", order=110)
)
registry["urls"].register("attendance", UrlInclude("", "meetops.attendance.urls", order=80))
registry["meeting_links"].register(
    "attendance.desk",
    MeetingLink("attendance/_desk_link.html", order=40, visible=_runs_desk, group="during"),
)
registry["archive"].register(
    "attendance", ArchiveSource("meetops.attendance.archive.attendance", order=40)
)
