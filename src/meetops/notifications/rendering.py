"""Rendering a message in the recipient's language and time zone.

Templates are Django templates from files shipped with the code, never text a
user typed, so there is nothing to inject; values from the context are
escaped in `body.html` (autoescape) and printed as they are in the `.txt`
templates, which are plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, select_template
from django.utils import timezone, translation

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def language_of(user: Any | None) -> str:
    lang = (getattr(user, "language", "") or "").lower()
    return lang if lang in LANGUAGE_CODES else settings.LANGUAGE_CODE


def time_zone_of(user: Any | None) -> str:
    return getattr(user, "time_zone", "") or settings.TIME_ZONE


def _templates(event: str, part: str) -> list[str]:
    return [f"notifications/messages/{event}/{part}", f"notifications/messages/generic/{part}"]


def render(event: str, context: dict[str, Any], *, language: str, time_zone: str) -> Rendered:
    """Subject, plain text and (optional) HTML of an event's message."""
    ctx = {"site_url": settings.SITE_URL, "site_name": str(settings.MEETOPS_NAME), **context}
    with translation.override(language), timezone.override(time_zone):
        ctx["site_name"] = str(settings.MEETOPS_NAME)
        subject = select_template(_templates(event, "subject.txt")).render(ctx)
        text = select_template(_templates(event, "body.txt")).render(ctx)
        try:
            html = get_template(f"notifications/messages/{event}/body.html").render(ctx)
        except TemplateDoesNotExist:
            html = ""
    return Rendered(" ".join(subject.split())[:300], text.strip() + "\n", html)
