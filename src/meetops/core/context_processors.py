from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

# Which navigation area a page belongs to, by URL name.
_AREAS = {"dashboard": "dashboard", "audit_log": "audit", "meeting_calendar": "calendar"}


def site(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else ""
    area = _AREAS.get(
        name or "", "meetings" if (name or "").startswith(("meeting", "step")) else ""
    )
    return {"SITE_URL": settings.SITE_URL, "MEETOPS_NAME": settings.MEETOPS_NAME, "nav_area": area}
