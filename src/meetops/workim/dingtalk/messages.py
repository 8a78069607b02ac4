"""What a MeetOps notice looks like as a DingTalk work notification (工作通知).

DingTalk delivers identical content from one app to one person only once a day, and answers
"ok" for the copies it drops (reference §2.4). The text every platform gets already ends with
the outbox message's time and number (`workim.channel.personal_message`), so two different
notices never read the same, while the same notice sent again (a retry after an unclear
answer) reads exactly the same and is dropped by DingTalk — which is what a retry should do.

The work notification we use has no buttons that call back: a decision is a link
(`action_card`) that opens the MeetOps page, signed in through DingTalk, where the person
decides (reference §4; DingTalk's interactive cards need a card template designed in its
card platform for each organisation).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import override, pgettext

# DingTalk cuts long cards; the page behind the link has everything.
MAX_TEXT = 2000
MAX_TITLE = 60


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def work_notice(
    *, title: str, text: str, url: str, language: str, open_label: str = ""
) -> dict[str, Any]:
    """The `msg` of `asyncsend_v2`: an action card whose one button opens the page (named
    after the decisions waiting there, "Approve / Return", when there are any), or markdown
    when there is no page to open."""
    with override(language or None):
        open_label = open_label or pgettext("dingtalk", "Open in MeetOps")
    title = _clip(title.strip() or "MeetOps", MAX_TITLE)
    body = f"#### {title}\n\n{_clip(text.strip(), MAX_TEXT)}"
    if not url:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}
    card = {"title": title, "markdown": body, "single_title": open_label, "single_url": url}
    return {"msgtype": "action_card", "action_card": card}
