"""What evaluation adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
feedback questionnaires and the evaluation.
The hubs read it from the core registry; nothing outside evaluation names it."""

from __future__ import annotations

from meetops.core.registry import ApiRouter, ArchiveSource, MeetingLink, UrlInclude, registry
from meetops.evaluation import audit_labels, jobs, notify, rules  # noqa: F401 - for what they register
from meetops.meetings.models import Meeting
from meetops.people.models import User


def _managers_leaders_or_admins(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return can_manage or bool({"leader", "admin"} & user.role_codes)


registry["api_routers"].register(
    "evaluation", ApiRouter("/", "meetops.evaluation.api.router", order=180)
)
registry["api_routers"].register(
    "evaluation.feedback",
    ApiRouter("/feedback", "meetops.evaluation.api.feedback_router", order=190),
)
registry["urls"].register("evaluation", UrlInclude("", "meetops.evaluation.urls", order=170))
registry["meeting_links"].register(
    "evaluation",
    MeetingLink(
        "evaluation/_meeting_links.html",
        order=110,
        visible=_managers_leaders_or_admins,
        group="after",
    ),
)
registry["archive"].register(
    "evaluation.results", ArchiveSource("meetops.evaluation.archive.survey_results", order=80)
)
registry["archive"].register(
    "evaluation.evaluation", ArchiveSource("meetops.evaluation.archive.evaluation", order=90)
)
