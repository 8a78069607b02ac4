"""What policy adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the process and its steps: on every meeting (created with its steps, stopped at a stage
with open required steps, shown on its page) and the process pages.
The hubs read it from the core registry; nothing outside policy names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import (
    ApiRouter,
    ArchiveSource,
    MeetingHook,
    MeetingLink,
    MenuEntry,
    UrlInclude,
    registry,
)
from meetops.policy import audit_labels, events, jobs, meeting_hooks, review  # noqa: F401 - for what they register
from meetops.policy.permissions import can_edit_process

registry["urls"].register(
    "policy.process", UrlInclude("process/", "meetops.policy.process_urls", order=130)
)
registry["archive"].register(
    "policy.step_attachments", ArchiveSource("meetops.policy.archive.step_attachments", order=70)
)
registry["urls"].register(
    "policy.steps", UrlInclude("meetings/<int:pk>/steps/", "meetops.policy.urls", order=31)
)
registry["meeting_hooks"].register(
    "policy",
    MeetingHook(
        order=10,
        on_created=meeting_hooks.on_created,
        blocking=meeting_hooks.blocking,
        page_context=meeting_hooks.page_context,
        on_rescheduled=meeting_hooks.on_rescheduled,
    ),
)
registry["meeting_links"].register(
    "policy.stagebar", MeetingLink("policy/_stagebar.html", order=10, slot="stagebar")
)
registry["meeting_links"].register(
    "policy.process", MeetingLink("policy/_process_card.html", order=10, slot="process")
)
registry["meeting_links"].register(
    "policy.now", MeetingLink("policy/_now.html", order=10, slot="now")
)
registry["api_routers"].register(
    "policy", ApiRouter("/meetings", "meetops.policy.api.router", order=21)
)
registry["api_routers"].register(
    "policy.process", ApiRouter("/process", "meetops.policy.editor_api.router", order=22)
)
registry["menu"].register(
    "process_editor",
    MenuEntry(
        _("Process editor"),
        "process_editor",
        order=124,
        area="process_editor",
        visible=can_edit_process,
        pages=("process_editor",),
    ),
)
