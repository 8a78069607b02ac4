"""What core adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the audit log, backups and the administration.
The hubs read it from the core registry; nothing outside core names it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core import audit_labels, jobs  # noqa: F401 - for what they register
from meetops.core.registry import ApiRouter, MenuEntry, UrlInclude, registry

if TYPE_CHECKING:
    from meetops.people.models import User  # the AUTH_USER_MODEL, for typing only


def _system_admin(user: User) -> bool:
    # Configuration: the system administrator's, with separation of duties too.
    return user.is_system_admin


registry["api_routers"].register("audit", ApiRouter("/audit", "meetops.core.api.router", order=50))
registry["urls"].register("core", UrlInclude("", "meetops.core.urls", order=20))
registry["urls"].register("core.probes", UrlInclude("", "meetops.core.probe_urls", order=5))
registry["menu"].register(
    "audit_log",
    MenuEntry(_("Audit log"), "audit_log", order=90, area="audit"),
)
registry["menu"].register(
    "backups",
    MenuEntry(_("Backups"), "backups", order=120, area="backups", visible=_system_admin),
)
registry["menu"].register(
    "administration",
    MenuEntry(
        pgettext_lazy("menu", "Administration"), "admin:index", order=130, visible=_system_admin
    ),
)
