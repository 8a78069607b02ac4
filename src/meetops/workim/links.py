"""Links in messages that open a MeetOps page signed in (reference §4: link + silent login)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse


def local_path(url: str) -> str:
    """The path (with query) of a MeetOps address or path; "/" for anything else."""
    parts = urlsplit(url or "/")
    site = urlsplit(settings.SITE_URL)
    if parts.netloc and parts.netloc != site.netloc:
        return "/"
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        return "/"
    return f"{path}?{parts.query}" if parts.query else path


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def silent_login_url(platform_key: str, url: str) -> str:
    """`SITE_URL/im/<platform>/login/?next=<path>`: opened inside the platform's client it
    signs the person in without a click; in a browser it shows the QR code."""
    login = reverse("workim_login", args=[platform_key])
    return absolute(f"{login}?{urlencode({'next': local_path(url)})}")


def in_app_url(page: str, url: str) -> str:
    """`SITE_URL/<page>?next=<path>`: a page of MeetOps (by URL name) that signs the person in
    from inside the platform's client and then opens `url`."""
    return absolute(f"{reverse(page)}?{urlencode({'next': local_path(url)})}")
