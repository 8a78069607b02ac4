from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url

from meetops.core.menu import nav_area_of


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and address, the home page (where signing in lands: whichever app
    serves it, core does not name it) and the menu area of the page (from the menu's entries)."""
    match = getattr(request, "resolver_match", None)
    area = nav_area_of(match.view_name or "", match.url_name or "") if match else ""
    return {
        "SITE_URL": settings.SITE_URL,
        "MEETOPS_NAME": settings.MEETOPS_NAME,
        "HOME_URL": resolve_url(settings.LOGIN_REDIRECT_URL),
        "nav_area": area,
    }
