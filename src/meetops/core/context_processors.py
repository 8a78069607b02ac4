from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

# Which navigation area a page belongs to, by URL name.
_AREAS = {
    "dashboard": "dashboard",
    "audit_log": "audit",
    "meeting_calendar": "calendar",
    "backups": "backups",
}


def site(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else ""
    name = name or ""
    if name in _AREAS:
        area = _AREAS[name]
    elif name.startswith("venues"):
        area = "rooms"
    elif name.startswith(("meeting", "step")):
        area = "meetings"
    else:
        area = ""
    return {"SITE_URL": settings.SITE_URL, "MEETOPS_NAME": settings.MEETOPS_NAME, "nav_area": area}
