"""Feishu / Lark Open API, the calls MeetOps makes (reference §3).

`MEETOPS_FEISHU_API_BASE` is the host: https://open.feishu.cn (the default), or
https://open.larksuite.com for Lark, or a private deployment / the test stand-in. Every answer
is HTTP 200 with `{"code": 0, "msg", "data"}` on success and a non-zero `code` on failure
(§0): `FeishuError` carries that code. Throttling (HTTP 429, 99991400, 230020) is `Throttled`.
The app's tenant token is kept in the shared Django cache (one per app id and secret, for
every worker) until ten seconds before it expires, and fetched again when the platform says
it is no longer valid (99991663/99991664), at most three times.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.core.cache import cache

FEISHU = "https://open.feishu.cn"
LARK = "https://open.larksuite.com"
TIMEOUT = 10
PAGE_SIZE = 50
INVALID_TOKEN = {99991663, 99991664, 99991668}
THROTTLED = {99991400, 230020}
TOKEN_TRIES = 3


class FeishuError(Exception):
    """The platform refused the call: `code` is its own (or "http_<status>", "network")."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class Throttled(FeishuError):
    """Too many calls: try again later."""


class Unreachable(FeishuError):
    """No answer (network, timeout, 5xx): try again later."""


def is_lark(base: str) -> bool:
    return base.rstrip("/") == LARK


class FeishuClient:
    """One app's calls. `base` without the `/open-apis` suffix."""

    def __init__(self, *, base: str, app_id: str, app_secret: str) -> None:
        self.base = (base or FEISHU).rstrip("/")
        self.app_id = app_id
        self.app_secret = app_secret

    # --- transport ----------------------------------------------------------------------

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.base}/open-apis/{path.lstrip('/')}{query}"

    def _http(
        self, method: str, url: str, body: Mapping[str, Any] | None, token: str
    ) -> dict[str, Any]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - the configured https base
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read() or b""
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise Unreachable(str(getattr(exc, "reason", exc)), "network") from exc
        if status == 429:
            raise Throttled(f"HTTP {status}", "http_429")
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            raise Unreachable(f"HTTP {status}: unreadable answer", f"http_{status}") from None
        code = int(answer.get("code", 0) or 0) if isinstance(answer, dict) else -1
        if code in THROTTLED:
            raise Throttled(str(answer.get("msg", "")), str(code))
        if code:
            raise FeishuError(str(answer.get("msg", "")), str(code))
        if status >= 500:
            raise Unreachable(f"HTTP {status}", f"http_{status}")
        if status >= 400:
            raise FeishuError(f"HTTP {status}", f"http_{status}")
        return answer

    def _cache_key(self, kind: str) -> str:
        secret = hashlib.sha256(f"{self.app_secret}".encode()).hexdigest()[:16]
        return f"workim:feishu:{kind}:{self.base}:{self.app_id}:{secret}"

    def token(self, *, kind: str = "tenant", refresh: bool = False) -> str:
        """The app's tenant (or app) access token, from the cache unless `refresh`."""
        key = self._cache_key(kind)
        if not refresh:
            cached = cache.get(key)
            if cached:
                return str(cached)
        answer = self._http(
            "POST",
            self.url(f"auth/v3/{kind}_access_token/internal"),
            {"app_id": self.app_id, "app_secret": self.app_secret},
            "",
        )
        token = str(answer[f"{kind}_access_token"])
        cache.set(key, token, max(int(answer.get("expire", 7200)) - 10, 1))
        return token

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        token: Callable[..., str] | None = None,
    ) -> dict[str, Any]:
        """One API call with the app's token, fetched again on an invalid-token answer."""
        get = token or self.token
        for attempt in range(TOKEN_TRIES):
            try:
                return self._http(method, self.url(path, params), body, get(refresh=attempt > 0))
            except FeishuError as exc:
                if exc.code.isdigit() and int(exc.code) in INVALID_TOKEN:
                    continue
                raise
        raise FeishuError("the token was refused after being fetched again", "token_refused")

    def pages(self, path: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of a paged list (`has_more`, `page_token`)."""
        page_token = ""
        while True:
            query = {**params, "page_size": PAGE_SIZE}
            if page_token:
                query["page_token"] = page_token
            data = self.call("GET", path, params=query).get("data") or {}
            yield from data.get("items") or ()
            page_token = str(data.get("page_token") or "")
            if not data.get("has_more") or not page_token:
                return

    # --- directory (§3.2) ---------------------------------------------------------------

    def departments(self, root: str = "0") -> Iterator[dict[str, Any]]:
        """Every department under `root`, all levels (`fetch_child`)."""
        return self.pages(
            f"contact/v3/departments/{urllib.parse.quote(root, safe='')}/children",
            {
                "department_id_type": "open_department_id",
                "user_id_type": "user_id",
                "fetch_child": "true",
            },
        )

    def people_in(self, department_id: str) -> Iterator[dict[str, Any]]:
        """The direct members of one department."""
        return self.pages(
            "contact/v3/users/find_by_department",
            {
                "department_id": department_id,
                "department_id_type": "open_department_id",
                "user_id_type": "user_id",
            },
        )

    def department(self, department_id: str) -> dict[str, Any]:
        data = (
            self.call(
                "GET",
                f"contact/v3/departments/{urllib.parse.quote(department_id, safe='')}",
                params={"department_id_type": "open_department_id", "user_id_type": "user_id"},
            ).get("data")
            or {}
        )
        return dict(data.get("department") or {})

    # --- messages (§3.5, §3.6) ----------------------------------------------------------

    def send(self, *, user_id: str, msg_type: str, content: Mapping[str, Any], uuid: str) -> str:
        """Send one message to one person by user_id; the message id. `uuid` makes a retry
        of the same message a no-op on the platform's side."""
        answer = self.call(
            "POST",
            "im/v1/messages",
            params={"receive_id_type": "user_id"},
            body={
                "receive_id": user_id,
                "msg_type": msg_type,
                # The platform wants the content as a JSON string, not an object.
                "content": json.dumps(content, ensure_ascii=False),
                "uuid": uuid[:50],
            },
        )
        return str((answer.get("data") or {}).get("message_id", ""))

    def update_card(self, *, message_id: str, card: Mapping[str, Any]) -> None:
        """Replace a sent card for everyone who sees it (the card has `update_multi`)."""
        self.call(
            "PATCH",
            f"im/v1/messages/{urllib.parse.quote(message_id, safe='')}",
            body={"content": json.dumps(card, ensure_ascii=False)},
        )

    # --- sign-in (§3.4) -----------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> str:
        """The page that signs a person in: a QR code in a browser, silent inside Feishu."""
        return self.url(
            "authen/v1/index",
            {"app_id": self.app_id, "redirect_uri": redirect_uri, "state": state},
        )

    def person_from_code(self, code: str) -> dict[str, Any]:
        """Who signed in: the code exchanged for a user token, then that person's info."""
        answer = self.call(
            "POST",
            "authen/v1/oidc/access_token",
            body={"grant_type": "authorization_code", "code": code},
            token=lambda refresh=False: self.token(kind="app", refresh=refresh),
        )
        user_token = str((answer.get("data") or {}).get("access_token", ""))
        info = self._http("GET", self.url("authen/v1/user_info"), None, user_token)
        return dict(info.get("data") or {})
