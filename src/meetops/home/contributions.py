"""What home adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the dashboard at `/`, the first page after signing in.

Home sits above the domain apps (docs/architecture.md, Layers): the dashboard reads the
meetings and their process steps, which core may not import.
The hubs read it from the core registry; nothing outside home names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import MenuEntry, UrlInclude, registry

registry["urls"].register("home", UrlInclude("", "meetops.home.urls", order=20))
registry["menu"].register(
    "dashboard",
    MenuEntry(_("Dashboard"), "dashboard", order=10, area="dashboard"),
)
