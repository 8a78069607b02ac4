"""The JSON-over-HTTPS client the three platforms share (reference §0).

All three answer HTTP 200 with an error code in the body on failure, so the body decides:

    answer = api.call("POST", "message/send", body={...})          # token added, dict back

- a token the platform calls invalid (`Platform.invalid_token_codes`) is fetched again and the
  request sent again, at most `TOKEN_RETRIES` times;
- throttling (`Platform.throttle_codes`, HTTP 429) and unreachable hosts or 5xx raise
  `Retry` (with `retry_after` for throttling), which the outbox retries later;
- any other non-zero code raises `Permanent` with the platform's code in `.code`.

Standard library only (urllib), like the group-robot senders.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from meetops.notifications.senders import Permanent, Retry
from meetops.workim.platforms import TOKEN_RETRIES, Platform

logger = logging.getLogger(__name__)

TIMEOUT = 10
THROTTLE_RETRY_AFTER = 60.0


def request_json(
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> tuple[int, Any]:
    """One HTTP request; (status, decoded JSON body). Retry when the host cannot be reached or
    answers something that is not JSON with a 5xx."""
    if params:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    data = None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        all_headers.setdefault("Content-Type", "application/json; charset=utf-8")
    shown = url.split("?", 1)[0]
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)  # noqa: S310 - the platform's configured https host
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read() or b""
    except urllib.error.URLError as exc:  # not connected: nothing was sent
        raise Retry(f"cannot reach {shown}: {exc.reason}", "network") from exc
    except TimeoutError as exc:  # sent, no answer in time: it may have been done
        raise Retry(f"no answer from {shown} in {timeout:g} s", "timeout") from exc
    except OSError as exc:
        raise Retry(f"connection to {shown} failed: {exc}", "network") from exc
    if status == 429:
        raise Retry(f"HTTP 429 from {shown}", "429", retry_after=THROTTLE_RETRY_AFTER)
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        if status >= 500:
            raise Retry(f"HTTP {status} from {shown}", str(status)) from None
        raise Permanent(
            f"HTTP {status} from {shown}: {raw[:200].decode('utf-8', 'replace')}", str(status)
        ) from None
    if status >= 500 and not isinstance(answer, dict):
        raise Retry(f"HTTP {status} from {shown}", str(status))
    return status, answer


class PlatformApi:
    """Calls to one platform's API with its token and its error codes."""

    def __init__(self, platform: Platform, *, base: str, which: str = "") -> None:
        self.platform = platform
        self.base = base.rstrip("/") + "/"
        # Which token: "" the app's own, or another one the platform names (WeCom "contact").
        self.which = which

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base + path.lstrip("/")

    # --- what differs between platforms (overridden per platform) ---------------------------

    def attach_token(self, token: str, params: dict[str, Any], headers: dict[str, str]) -> None:
        """Put the token where the platform wants it: a query parameter by default."""
        params["access_token"] = token

    def error_of(self, status: int, answer: Any) -> tuple[int, str]:
        """(code, message) of an answer; code 0 is success."""
        if not isinstance(answer, dict):
            return 0, ""
        raw = answer.get("errcode", answer.get("code", 0))
        message = str(answer.get("errmsg", answer.get("msg", answer.get("message", ""))))
        try:
            code = int(raw or 0)
        except (TypeError, ValueError):
            return -1, f"{raw}: {message}"
        if code == 0 and status >= 400:
            return status, message or f"HTTP {status}"
        return code, message

    def is_retryable(self, code: int) -> bool:
        """Codes other than throttling that a later attempt may get past (busy servers)."""
        return False

    # --- the call ---------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> Any:
        """Send the request (with the token unless `auth=False`); the decoded answer.

        Raises Retry / Permanent as the module docstring says."""
        refreshes = 0
        while True:
            query = dict(params or {})
            head = dict(headers or {})
            if auth:
                self.attach_token(
                    self.platform.token(self.which, refresh=refreshes > 0), query, head
                )
            status, answer = request_json(
                method, self.url(path), params=query, body=body, headers=head
            )
            code, message = self.error_of(status, answer)
            if code == 0:
                return answer
            text = f"{self.platform.key} {code}: {message}"
            if auth and code in self.platform.invalid_token_codes and refreshes < TOKEN_RETRIES:
                refreshes += 1
                logger.info("%s: token refused (%s); fetching a new one", self.platform.key, code)
                continue
            if code in self.platform.throttle_codes:
                raise Retry(text, str(code), retry_after=THROTTLE_RETRY_AFTER)
            if status >= 500 or self.is_retryable(code):
                raise Retry(text, str(code))
            raise Permanent(text, str(code))
