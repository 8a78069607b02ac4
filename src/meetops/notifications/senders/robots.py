"""DingTalk, WeCom and Feishu group robots, signed as each vendor documents.

See /work/shared/reference/im-robots.md (kept in docs/adr/0007-outbox-and-worker.md): all three
answer HTTP 200 with an error code in the body, so the body decides.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from meetops.notifications.senders import CommitPoint, Permanent, Retry

TIMEOUT = 10
# Vendor codes that mean "slow down": retried after the robot's minute passes.
THROTTLED = {130101, 90030, 410100, 45009, 11232}
# Everything else non-zero is permanent (bad signature, removed robot, keyword
# missing, malformed body): retrying cannot fix it; the admin must.
WECOM_MAX_BYTES = 4000
FEISHU_MAX_BYTES = 19000


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{ts}\\n{secret}")))."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """sign = base64(HMAC-SHA256(key=f"{ts}\\n{secret}", msg=b"")): the key is the string to sign."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _truncate(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


def compose(messages: Sequence[Any], language: str) -> tuple[str, str]:
    """Title and markdown text: one message as it is, several as a digest."""
    if len(messages) == 1:
        return messages[0].subject, messages[0].body
    with override(language):
        title = _("%(count)d notifications") % {"count": len(messages)}
    parts = [f"**{m.subject}**\n{m.body.strip()}" for m in messages]
    return title, "\n\n---\n\n".join(parts)


URL = re.compile(r"https?://[^\s<>\"'）]+")
BOLD_LINE = re.compile(r"^\*\*(.+)\*\*$")


def _post_line(line: str) -> list[dict[str, Any]]:
    """One line of a Feishu post: plain text, with links as links and a **line** in bold."""
    bold = BOLD_LINE.match(line.strip())
    if bold:
        return [{"tag": "text", "text": bold.group(1), "style": ["bold"]}]
    parts: list[dict[str, Any]] = []
    pos = 0
    for match in URL.finditer(line):
        if match.start() > pos:
            parts.append({"tag": "text", "text": line[pos : match.start()]})
        parts.append({"tag": "a", "text": match.group(0), "href": match.group(0)})
        pos = match.end()
    if pos < len(line) or not parts:
        parts.append({"tag": "text", "text": line[pos:]})
    return parts


def feishu_post(title: str, text: str, language: str) -> dict[str, Any]:
    """Feishu's rich text (msg_type "post"): its text messages show markdown's ** as typed.

    The digest's "---" separators become empty lines; Feishu names Chinese zh_cn
    (both scripts) and English en_us.
    """
    text = _truncate(text, FEISHU_MAX_BYTES)
    lines = [[] if line.strip() == "---" else _post_line(line) for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    key = "en_us" if language.startswith("en") else "zh_cn"
    return {
        key: {"title": title, "content": [line or [{"tag": "text", "text": ""}] for line in lines]}
    }


def build_request(
    robot: Any, title: str, text: str, now: float | None = None, *, language: str = "zh-hans"
) -> tuple[str, dict[str, Any]]:
    """The URL and JSON body for this robot, signed now."""
    now = time.time() if now is None else now
    if robot.kind == "dingtalk":
        url = robot.url
        if robot.secret:
            ts = int(now * 1000)
            url += (
                "&" if "?" in url else "?"
            ) + f"timestamp={ts}&sign={dingtalk_sign(robot.secret, ts)}"
        body: dict[str, Any] = {
            "msgtype": "markdown",
            "markdown": {"title": title, "text": f"#### {title}\n\n{text}"},
        }
        return url, body
    if robot.kind == "wecom":
        content = _truncate(f"**{title}**\n{text}", WECOM_MAX_BYTES)
        return robot.url, {"msgtype": "markdown", "markdown": {"content": content}}
    if robot.kind == "feishu":
        body = {"msg_type": "post", "content": {"post": feishu_post(title, text, language)}}
        if robot.secret:
            ts = int(now)
            body = {"timestamp": str(ts), "sign": feishu_sign(robot.secret, ts), **body}
        return robot.url, body
    raise Permanent(f"unknown robot kind {robot.kind}", "unknown_kind")


def post_json(
    url: str, body: dict[str, Any], headers: dict[str, str] | None = None, shown_url: str = ""
) -> tuple[int, bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - http(s) URLs validated by the model field
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read() or b""
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Retry(f"cannot reach {shown_url or 'the endpoint'}: {reason}", "network") from exc


def check_response(status: int, raw: bytes) -> str:
    """Vendor answer → response code, or Retry/Permanent with the vendor's own message."""
    if status == 429 or status >= 500:
        raise Retry(f"HTTP {status}", str(status), retry_after=60)
    if status >= 400:
        raise Permanent(f"HTTP {status}: {raw[:300].decode('utf-8', 'replace')}", str(status))
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise Retry(f"unreadable answer: {raw[:200]!r}", "bad_answer") from None
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    message = answer.get("errmsg", answer.get("msg", answer.get("StatusMessage", "")))
    if code in (0, None):
        return "0"
    try:
        code = int(code)
    except (TypeError, ValueError):
        raise Permanent(f"{code}: {message}", str(code)) from None
    if code in THROTTLED:
        raise Retry(f"{code}: {message}", str(code), retry_after=60)
    raise Permanent(f"{code}: {message}", str(code))


def send(robot: Any, messages: Sequence[Any], commit_point: CommitPoint) -> str:
    title, text = compose(messages, messages[0].language or "zh-hans")
    url, body = build_request(robot, title, text, language=messages[0].language or "zh-hans")
    commit_point()
    status, raw = post_json(url, body, shown_url=robot.masked_url)
    return check_response(status, raw)
