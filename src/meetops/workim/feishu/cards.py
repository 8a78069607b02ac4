"""What a Feishu message looks like: a `post` (rich text with the link) or an interactive card
with the decision's buttons (card JSON 1.0, reference §3.5–3.6).

The buttons carry back `act` (the action's key), the decision's `kind` and `ref`, and what
the answer to the callback needs to redraw the card without asking MeetOps's database: the
title, the link and the recipient's language. The callback is verified before any of it is
read, and the decision is checked again on the server (workim/decisions.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from meetops.workim.platforms import CardOutcome, PersonalMessage

TITLE_LIMIT = 100
STYLES = {"primary": "primary", "danger": "danger"}


def _locale(language: str) -> str:
    return "en_us" if (language or "").startswith("en") else "zh_cn"


def post(message: PersonalMessage) -> dict[str, Any]:
    """A rich-text message: the text, then the link."""
    lines: list[list[dict[str, str]]] = [
        [{"tag": "text", "text": line}] for line in message.text.splitlines() if line.strip()
    ]
    if message.url:
        with translation.override(message.language or settings.LANGUAGE_CODE):
            lines.append([{"tag": "a", "text": _("Open in MeetOps"), "href": message.url}])
    return {_locale(message.language): {"title": message.title, "content": lines}}


def _link(url: str, language: str) -> dict[str, Any]:
    with translation.override(language or settings.LANGUAGE_CODE):
        label = _("Open in MeetOps")
    return {
        "tag": "button",
        "text": {"tag": "plain_text", "content": label},
        "type": "default",
        "url": url,
    }


def _header(title: str, template: str) -> dict[str, Any]:
    return {"title": {"tag": "plain_text", "content": title}, "template": template}


def card(message: PersonalMessage) -> dict[str, Any]:
    """An interactive card: the text, a comment box and the decision's buttons, the link."""
    with translation.override(message.language or settings.LANGUAGE_CODE):
        placeholder = _("Comment (needed to return it)")
    buttons = [
        {
            "tag": "button",
            "text": {"tag": "plain_text", "content": action.label},
            "type": STYLES.get(action.style, "default"),
            "action_type": "form_submit",
            "name": action.key,
            "value": {
                "act": action.key,
                **action.value,
                "title": message.title[:TITLE_LIMIT],
                "url": message.url,
                "lang": message.language,
                "msg": message.dedupe_key,
            },
        }
        for action in message.actions
    ]
    elements: list[dict[str, Any]] = [
        {"tag": "div", "text": {"tag": "plain_text", "content": message.text}},
        {
            "tag": "form",
            "name": "decision",
            "elements": [
                {
                    "tag": "input",
                    "name": "comment",
                    "placeholder": {"tag": "plain_text", "content": placeholder},
                },
                {"tag": "action", "actions": buttons},
            ],
        },
    ]
    if message.url:
        elements.append({"tag": "action", "actions": [_link(message.url, message.language)]})
    return {
        "config": {"wide_screen_mode": True, "update_multi": True},
        "header": _header(message.title, "blue"),
        "elements": elements,
    }


def settled(data: Mapping[str, Any], outcome: CardOutcome) -> dict[str, Any]:
    """The card once decided: the outcome where the buttons were, the link kept, in the
    outcome's language (the recipient's)."""
    elements: list[dict[str, Any]] = [
        {"tag": "div", "text": {"tag": "lark_md", "content": f"**{outcome.text}**"}}
    ]
    if data.get("url"):
        elements.append(
            {
                "tag": "action",
                "actions": [
                    _link(str(data["url"]), outcome.language or str(data.get("language", "")))
                ],
            }
        )
    return {
        "config": {"wide_screen_mode": True, "update_multi": True},
        "header": _header(str(data.get("title", "")), "green" if outcome.ok else "grey"),
        "elements": elements,
    }
