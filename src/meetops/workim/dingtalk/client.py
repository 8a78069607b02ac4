"""A small client for DingTalk's two API families (reference §2).

- **oapi** (`MEETOPS_DINGTALK_OAPI_BASE`, https://oapi.dingtalk.com): `access_token` in the
  query, snake_case, HTTP 200 with `errcode` on failure;
- **new API** (`MEETOPS_DINGTALK_API_BASE`, https://api.dingtalk.com/v1.0/…): the token in the
  `x-acs-dingtalk-access-token` header, camelCase, HTTP 4xx with `{"code","message"}`.

The app token is kept in the shared Django cache under a key derived from (app key, secret),
for `expires_in - 10` seconds, and fetched again when DingTalk calls it invalid (at most three
tries per call). Throttling and "busy" come back as `Throttled`, which the notification sender
turns into a retry; anything else non-zero is a `DingTalkError` carrying DingTalk's code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

OAPI_BASE = "https://oapi.dingtalk.com"
API_BASE = "https://api.dingtalk.com"
LOGIN_BASE = "https://login.dingtalk.com"
TIMEOUT = 10
ROOT_DEPARTMENT = 1
PAGE_SIZE = 100  # topapi/v2/user/list takes at most 100

# "The access token is invalid or expired": fetch a new one and try again. 88 is also
# "no permission" (sub_code 60011); that one is not a token problem and is not retried.
INVALID_TOKEN = {88, 40014, 42001, 40001}
NO_PERMISSION_SUBCODES = {"60011", "60020"}
# Slow down and try again: -1 busy, 90002 global limit, 90018 the app's per-second limit,
# 90019 an ISV app's, 143103/143104 the per-minute limits on sending to people.
THROTTLED = {-1, 90002, 90018, 90019, 143103, 143104}
RETRY_AFTER = {90002: 60.0, 90018: 1.0, 90019: 1.0, 143103: 60.0, 143104: 60.0, -1: 5.0}


class DingTalkError(Exception):
    """DingTalk said no. `code` is DingTalk's own (a number in oapi, a word in the new API)."""

    def __init__(
        self, message: str, code: str = "", *, sub_code: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.sub_code = sub_code
        self.retry_after = retry_after

    @property
    def no_permission(self) -> bool:
        return self.sub_code in NO_PERMISSION_SUBCODES


class Throttled(DingTalkError):
    """Too many calls, or DingTalk is busy: the same call will work later."""


class Unreachable(DingTalkError):
    """No answer (network, timeout, a 5xx page): the same call may work later."""


@dataclass(frozen=True)
class Credentials:
    app_key: str
    app_secret: str
    agent_id: str = ""
    corp_id: str = ""
    oapi_base: str = OAPI_BASE
    api_base: str = API_BASE
    login_base: str = LOGIN_BASE
    timeout: float = TIMEOUT

    @property
    def token_cache_key(self) -> str:
        digest = hashlib.sha256(f"{self.app_key}\0{self.app_secret}".encode()).hexdigest()[:24]
        return f"meetops:workim:dingtalk:token:{digest}"


def _http(
    method: str,
    url: str,
    *,
    body: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float,
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body). Unreachable or Throttled when there is no JSON to read."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the bases are settings, http(s) only
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise Unreachable(
            f"cannot reach DingTalk: {getattr(exc, 'reason', exc)}", "network"
        ) from exc
    try:
        payload = json.loads(raw or b"{}")
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        if status == 429:
            raise Throttled(f"HTTP {status}", str(status), retry_after=60.0)
        raise Unreachable(f"HTTP {status} without a JSON answer", str(status))
    # The IP-wide limit answers with a "deny" page instead of an errcode, for `wait` minutes.
    if payload.get("punish") == "deny" or status == 429:
        wait = float(payload.get("wait") or 1) * 60
        raise Throttled("DingTalk denies calls from this address for now", "deny", retry_after=wait)
    return status, payload


class DingTalkClient:
    """One app's calls to DingTalk. Cheap to build; the token lives in the cache.

    `token_source(refresh)` supplies the app token when the caller keeps it (the work IM
    platform does, in its shared cache); without one the client keeps it itself.
    """

    def __init__(
        self, credentials: Credentials, *, token_source: Callable[[bool], str] | None = None
    ) -> None:
        self.credentials = credentials
        self.token_source = token_source

    # --- transport ------------------------------------------------------------------------

    def fetch_token(self) -> tuple[str, int]:
        """A token straight from `gettoken`: (token, expires_in seconds)."""
        c = self.credentials
        query = urllib.parse.urlencode({"appkey": c.app_key, "appsecret": c.app_secret})
        _status, payload = _http(
            "GET", f"{c.oapi_base.rstrip('/')}/gettoken?{query}", timeout=c.timeout
        )
        self._raise_for_errcode(payload, "gettoken")
        return str(payload["access_token"]), int(payload.get("expires_in") or 7200)

    def access_token(self, *, refresh: bool = False) -> str:
        """The app's oapi access token, from the cache unless `refresh`."""
        if self.token_source is not None:
            return self.token_source(refresh)
        key = self.credentials.token_cache_key
        if not refresh:
            cached = cache.get(key)
            if cached:
                return str(cached)
        token, expires_in = self.fetch_token()
        # Ten seconds early: a token must not expire between the cache and DingTalk.
        cache.set(key, token, max(expires_in - 10, 1))
        return token

    def forget_token(self) -> None:
        cache.delete(self.credentials.token_cache_key)

    def oapi(
        self, path: str, body: Mapping[str, Any] | None = None, *, method: str = "POST"
    ) -> dict[str, Any]:
        """Call an oapi method with the app token; a new token on an invalid-token code."""
        base = self.credentials.oapi_base.rstrip("/")
        payload: dict[str, Any] = {}
        for attempt in range(3):
            token = self.access_token(refresh=attempt > 0)
            url = f"{base}/{path.lstrip('/')}?{urllib.parse.urlencode({'access_token': token})}"
            _status, payload = _http(
                method,
                url,
                body=body if method != "GET" else None,
                timeout=self.credentials.timeout,
            )
            code = _int(payload.get("errcode"))
            if code in INVALID_TOKEN and str(payload.get("sub_code", "")) not in (
                NO_PERMISSION_SUBCODES
            ):
                logger.info("dingtalk: token refused on %s (errcode %s); fetching anew", path, code)
                continue
            break
        self._raise_for_errcode(payload, path)
        return payload

    def api(
        self,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        method: str = "POST",
        token: str | None = None,
    ) -> dict[str, Any]:
        """Call the new API (`/v1.0/…`), with `token` (a user's) or the app's own token."""
        base = self.credentials.api_base.rstrip("/")
        for attempt in range(3):
            headers = {"x-acs-dingtalk-access-token": token} if token else {}
            if token is None and not path.startswith("/v1.0/oauth2/"):
                headers = {"x-acs-dingtalk-access-token": self.access_token(refresh=attempt > 0)}
            status, payload = _http(
                method,
                f"{base}/{path.lstrip('/')}",
                body=body,
                headers=headers,
                timeout=self.credentials.timeout,
            )
            if status < 400:
                return payload
            code = str(payload.get("code") or status)
            message = str(payload.get("message") or f"HTTP {status}")
            if (status == 401 or code == "InvalidAuthentication") and token is None and attempt < 2:
                continue
            if status >= 500 or "Throttling" in code or "QpsLimit" in code:
                raise Throttled(message, code, retry_after=5.0)
            raise DingTalkError(message, code)
        raise DingTalkError("DingTalk refused the token three times", "InvalidAuthentication")

    @staticmethod
    def _raise_for_errcode(payload: Mapping[str, Any], what: str) -> None:
        code = _int(payload.get("errcode"))
        if code == 0:
            return
        message = f"{what}: {payload.get('errmsg') or 'error'} (errcode {code})"
        sub_code = str(payload.get("sub_code") or "")
        if code in THROTTLED:
            raise Throttled(message, str(code), retry_after=RETRY_AFTER.get(code))
        raise DingTalkError(message, str(code), sub_code=sub_code)

    # --- directory ------------------------------------------------------------------------

    def department(self, dept_id: int) -> dict[str, Any]:
        """`topapi/v2/department/get`: one department (the root, 1, is the organisation)."""
        return dict(self.oapi("topapi/v2/department/get", {"dept_id": dept_id})["result"])

    def departments(self, *, language: str = "zh_CN") -> Iterator[dict[str, Any]]:
        """The whole tree below the root, parents first: `listsub` one level at a time.

        Each item gets `order`: DingTalk's own where it sends one, else its place among its
        siblings as listed (listsub returns them in the order the admin set).
        """
        queue = [ROOT_DEPARTMENT]
        seen = {ROOT_DEPARTMENT}
        while queue:
            parent = queue.pop(0)
            result = (
                self.oapi(
                    "topapi/v2/department/listsub", {"dept_id": parent, "language": language}
                ).get("result")
                or []
            )
            for position, item in enumerate(result):
                dept_id = int(item["dept_id"])
                if dept_id in seen:
                    continue
                seen.add(dept_id)
                yield {"order": position, **item, "parent_id": item.get("parent_id", parent)}
                queue.append(dept_id)

    def users_in(self, dept_id: int, *, language: str = "zh_CN") -> Iterator[dict[str, Any]]:
        """The people directly in one department, page by page (`topapi/v2/user/list`)."""
        cursor = 0
        while True:
            result = self.oapi(
                "topapi/v2/user/list",
                {
                    "dept_id": dept_id,
                    "cursor": cursor,
                    "size": PAGE_SIZE,
                    "order_field": "custom",
                    "contain_access_limit": False,
                    "language": language,
                },
            )["result"]
            yield from result.get("list") or []
            if not result.get("has_more"):
                return
            cursor = int(result["next_cursor"])

    def user(self, userid: str, *, language: str = "zh_CN") -> dict[str, Any]:
        return dict(
            self.oapi("topapi/v2/user/get", {"userid": userid, "language": language})["result"]
        )

    def userid_by_unionid(self, unionid: str) -> str:
        """`topapi/user/getbyunionid`: "" for an outside contact or nobody."""
        try:
            result = self.oapi("topapi/user/getbyunionid", {"unionid": unionid})["result"]
        except DingTalkError as exc:
            if exc.code == "60121":
                return ""
            raise
        if int(result.get("contact_type") or 0) != 0:
            return ""
        return str(result.get("userid") or "")

    # --- work notifications ---------------------------------------------------------------

    def send_work_notice(self, userids: Sequence[str], msg: Mapping[str, Any]) -> int:
        """`asyncsend_v2` to these people (≤ 100) from the app; DingTalk's task id."""
        if not 0 < len(userids) <= 100:
            raise ValueError("between 1 and 100 userids per call")
        payload = self.oapi(
            "topapi/message/corpconversation/asyncsend_v2",
            {
                "agent_id": int(self.credentials.agent_id),
                "userid_list": ",".join(userids),
                "to_all_user": False,
                "msg": dict(msg),
            },
        )
        return int(payload["task_id"])

    def send_result(self, task_id: int) -> dict[str, Any]:
        """`getsendresult`: who was invalid, forbidden, failed, read (last 24 h only)."""
        payload = self.oapi(
            "topapi/message/corpconversation/getsendresult",
            {"agent_id": int(self.credentials.agent_id), "task_id": task_id},
        )
        return dict(payload.get("send_result") or {})

    # --- sign-in --------------------------------------------------------------------------

    def authorize_url(self, *, state: str, redirect_uri: str, consent: bool = True) -> str:
        """The QR / account login page (new OAuth2, `login.dingtalk.com/oauth2/auth`)."""
        params = {
            "client_id": self.credentials.app_key,
            "response_type": "code",
            "scope": "openid",
            "state": state,
            "redirect_uri": redirect_uri,
        }
        if consent:
            params["prompt"] = "consent"
        query = urllib.parse.urlencode(params)
        return f"{self.credentials.login_base.rstrip('/')}/oauth2/auth?{query}"

    def userid_from_oauth_code(self, code: str) -> str:
        """The QR login's code → user token → `contact/users/me` → unionid → userid ("")."""
        c = self.credentials
        token = self.api(
            "/v1.0/oauth2/userAccessToken",
            {
                "clientId": c.app_key,
                "clientSecret": c.app_secret,
                "code": code,
                "grantType": "authorization_code",
            },
        )["accessToken"]
        me = self.api("/v1.0/contact/users/me", method="GET", token=str(token))
        unionid = str(me.get("unionId") or "")
        return self.userid_by_unionid(unionid) if unionid else ""

    def userid_from_jsapi_code(self, code: str) -> str:
        """In-app silent login (免登): the JSAPI authCode → `topapi/v2/user/getuserinfo`."""
        result = self.oapi("topapi/v2/user/getuserinfo", {"code": code})["result"]
        return str(result.get("userid") or "")


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1
