"""What documents adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the official 纪要, 通知 and 报告 files, the issuing body's settings, the minutes' archive source.
The hubs read it from the core registry; nothing outside documents names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import ArchiveSource, MeetingLink, MenuEntry, UrlInclude, registry
from meetops.documents import audit_labels  # noqa: F401 - for what it registers
from meetops.documents.permissions import can_manage_documents

registry["urls"].register("documents", UrlInclude("", "meetops.documents.urls", order=105))
registry["menu"].register(
    "document_settings",
    MenuEntry(
        _("Official documents"),
        "document_settings",
        order=126,
        area="document_settings",
        visible=can_manage_documents,
    ),
)
registry["archive"].register(
    "minutes", ArchiveSource("meetops.documents.archive.minutes", order=20)
)
registry["archive"].register(
    "reports", ArchiveSource("meetops.documents.archive_report.report", order=30)
)
registry["meeting_links"].register(
    "documents",
    MeetingLink(
        "documents/_meeting_links.html",
        order=55,
        group="prepare",
        visible=lambda user, meeting, can_manage: can_manage,
    ),
)
