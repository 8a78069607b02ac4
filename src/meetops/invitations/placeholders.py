"""Safe placeholder substitution for invitation templates.

Templates are written by organisers, so they are data, not code: the only
thing that happens to them is replacing `{{ name }}` fields from a fixed
allow-list with plain values. No tags, filters, attribute access or
expressions run. In HTML every value and every bit of the template text is
escaped; links become anchors only when they are our own URLs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")

# name → what it means (shown next to the editor).
ALLOWED = {
    "person.name": _("the invitee's name"),
    "meeting.title": _("the meeting's title"),
    "meeting.kind": _("the meeting's kind"),
    "meeting.time": _("date and time"),
    "meeting.place": _("place or online link"),
    "meeting.description": _("the meeting's description"),
    "meeting.agenda": _("the agenda"),
    "meeting.organiser": _("the organiser"),
    "rsvp.deadline": _("the date to answer by"),
    "meeting.notice": _("the sentence inviting to the meeting (time, place, title)"),
    "rsvp.request": _("the sentence asking for an answer by the deadline"),
    "link": _("the personal link to answer"),
    "qr": _("the link to the personal sign-in QR code"),
}
# Values that are URLs: clickable in HTML.
URL_FIELDS = frozenset({"link", "qr"})


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def unknown_placeholders(*texts: str) -> list[str]:
    """Placeholders that are not on the allow-list, in order of appearance."""
    found: list[str] = []
    for text in texts:
        for name in PLACEHOLDER.findall(text):
            if name not in ALLOWED and name not in found:
                found.append(name)
    return found


def render_text(template: str, values: Mapping[str, str]) -> str:
    """Plain text: unknown placeholders stay as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def render_html(template: str, values: Mapping[str, str]) -> str:
    """An HTML fragment: the template text and the values escaped, paragraphs kept, our links clickable."""
    out: list[str] = []
    pos = 0
    for m in PLACEHOLDER.finditer(template):
        out.append(escape(template[pos : m.start()]))
        name = m.group(1)
        if name not in values:
            out.append(escape(m.group(0)))
        elif name in URL_FIELDS and values[name]:
            url = escape(values[name])
            out.append(f'<a href="{url}">{url}</a>')
        else:
            out.append(escape(values[name]))
        pos = m.end()
    out.append(escape(template[pos:]))
    # linebreaks() escapes nothing more when autoescape=False: the parts are already escaped.
    return linebreaks("".join(out), autoescape=False)


# A template's line holding only an empty value leaves a hole; keep one blank line at most.
BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
# Templates written before `rsvp.request` existed: "请于{{ rsvp.deadline }}前" with no deadline.
NO_DEADLINE = re.compile(r"(请|請)[于於]\s*(尽快|盡快)\s*前")


def _no_deadline(text: str) -> str:
    return NO_DEADLINE.sub(lambda m: m.group(1) + m.group(2), text)


def _tidy(text: str) -> str:
    return BLANK_LINES.sub("\n\n", _no_deadline(text)).strip() + "\n"


def render(subject: str, body: str, values: Mapping[str, str]) -> Rendered:
    return Rendered(
        subject=" ".join(render_text(subject, values).split())[:300],
        text=_tidy(render_text(body, values)),
        html=_no_deadline(render_html(body, values)),
    )
