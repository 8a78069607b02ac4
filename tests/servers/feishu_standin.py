"""A local Feishu / Lark Open API for the tests (reference §8.1), on a loopback port.

It serves what MeetOps calls, with the documented shapes (HTTP 200, `{"code", "msg", "data"}`)
and the failure shapes on demand:

- `auth/v3/tenant_access_token/internal`, `auth/v3/app_access_token/internal`;
- `contact/v3/departments/{id}/children` (`fetch_child`, `page_token`/`has_more`),
  `contact/v3/departments/{id}`, `contact/v3/users/{id}`, `contact/v3/users/find_by_department` (paged; `user_id`,
  `mobile`, `email` left out unless `scopes` grants them);
- `im/v1/messages` (one person per call, `content` must be a JSON string, `uuid` dedupes),
  `PATCH im/v1/messages/{id}` (card updates, recorded);
- `authen/v1/index` (the authorise page: redirects back with a code for `signed_in_as`),
  `authen/v1/oidc/access_token` (a code works once), `authen/v1/user_info`.

Failures: `expire_token_once()` (the next call answers 99991663), `throttle(n)` (the next n
calls answer 99991400), `fail_next(code)`. `post(url, payload)` drives MeetOps's callback
endpoints with a correctly encrypted and signed request, as the platform sends them.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from meetops.workim.feishu import crypto
from tests.servers.im_standin_base import Reply, Request, Server, fetch
from tests.servers.im_todos import FeishuTasks

APP_ID = "cli_standin"
APP_SECRET = "standin-secret"
ENCRYPT_KEY = "standin-encrypt-key"
VERIFICATION_TOKEN = "standin-verification-token"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    code: int


@dataclass
class FeishuStandIn:
    departments: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    scopes: set[str] = field(default_factory=lambda: {"user_id", "mobile", "email"})
    page_size_cap: int = 50

    def __post_init__(self) -> None:
        self.calls: list[Recorded] = []
        self.messages: list[dict[str, Any]] = []
        self.card_updates: list[dict[str, Any]] = []
        self.tokens: set[str] = set()
        self.codes: dict[str, str] = {}  # code -> user_id, single use
        self.user_tokens: dict[str, str] = {}
        self.signed_in_as = ""
        self.last_request: tuple[bytes, dict[str, str]] = (b"", {})
        self._uuids: dict[str, str] = {}
        self._expire_once = False
        self._throttle = 0
        self._fail: list[int] = []
        self._ids = itertools.count(1)
        self.lock = threading.Lock()
        self.tasks = FeishuTasks()  # task v2 (im_todos.py)
        self.server = Server(self.answer).start()
        self.base = self.server.origin

    def close(self) -> None:
        self.server.stop()

    # --- failure switches --------------------------------------------------------------

    def expire_token_once(self) -> None:
        self._expire_once = True

    def throttle(self, times: int = 1) -> None:
        self._throttle = times

    def fail_next(self, code: int) -> None:
        self._fail.append(code)

    # --- the API ------------------------------------------------------------------------

    def answer(self, request: Request) -> Reply:
        """The HTTP answer to `request` (what `Server` calls); every answer is JSON."""
        path = request.path.removeprefix("/open-apis/")
        raw = request.body
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        headers = dict(request.headers)
        with self.lock:
            status, answer, location = self._answer(
                request.method, path, request.query, headers, body
            )
            self.calls.append(
                Recorded(request.method, path, request.query, body, int(answer.get("code", 0)))
            )
        return Reply(status, answer, {"Location": location} if location else {})

    def _token_ok(self, headers: dict[str, str]) -> dict[str, Any] | None:
        auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        token = auth.removeprefix("Bearer ")
        if self._expire_once:
            self._expire_once = False
            self.tokens.discard(token)
        if token not in self.tokens:
            return {"code": 99991663, "msg": "Invalid access token for authorization."}
        if self._throttle:
            self._throttle -= 1
            return {"code": 99991400, "msg": "request trigger frequency limit"}
        if self._fail:
            return {"code": self._fail.pop(0), "msg": "failure on demand"}
        return None

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any], str]:
        if path in ("auth/v3/tenant_access_token/internal", "auth/v3/app_access_token/internal"):
            if body.get("app_id") != APP_ID or body.get("app_secret") != APP_SECRET:
                return 200, {"code": 10014, "msg": "app secret invalid"}, ""
            token = f"t-{secrets.token_hex(8)}"
            self.tokens.add(token)
            kind = path.split("/")[2].removesuffix("/internal")
            return 200, {"code": 0, "msg": "ok", kind: token, "expire": 7200}, ""
        if path == "authen/v1/index":
            code = f"code-{secrets.token_hex(6)}"
            self.codes[code] = self.signed_in_as
            back = urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
            return 302, {}, f"{query['redirect_uri']}?{back}"
        if path == "authen/v1/user_info":
            token = {k.lower(): v for k, v in headers.items()}.get("authorization", "")[7:]
            user_id = self.user_tokens.get(token)
            if user_id is None:
                return 200, {"code": 99991668, "msg": "invalid user token"}, ""
            return 200, {"code": 0, "msg": "ok", "data": self._user_info(user_id)}, ""
        refused = self._token_ok(headers)
        if refused is not None:
            return 200, refused, ""
        if path == "authen/v1/oidc/access_token":
            user_id = self.codes.pop(body.get("code", ""), None)
            if user_id is None:
                return 200, {"code": 20003, "msg": "code invalid or used"}, ""
            token = f"u-{secrets.token_hex(8)}"
            self.user_tokens[token] = user_id
            data = {"access_token": token, "token_type": "Bearer", "expires_in": 6900}
            return 200, {"code": 0, "msg": "ok", "data": data}, ""
        if path.startswith("task/v2/tasks"):
            status, answer = self.tasks.answer(method, path, query, body, self.users)
            return status, answer, ""
        if path.startswith("contact/v3/departments/") and path.endswith("/children"):
            parent = urllib.parse.unquote(path.split("/")[3])
            return (
                200,
                self._page(self._children(parent, query.get("fetch_child") == "true"), query),
                "",
            )
        if path.startswith("contact/v3/departments/"):
            wanted = urllib.parse.unquote(path.split("/")[3])
            for d in self.departments:
                if d["open_department_id"] == wanted:
                    return 200, {"code": 0, "msg": "ok", "data": {"department": d}}, ""
            return 200, {"code": 40003, "msg": "department not found"}, ""
        if path.startswith("contact/v3/users/") and path != "contact/v3/users/find_by_department":
            wanted = urllib.parse.unquote(path.split("/")[3])
            key = query.get("user_id_type", "open_id")
            for u in self.users:
                if u.get(key) == wanted:
                    return 200, {"code": 0, "msg": "ok", "data": {"user": self._visible(u)}}, ""
            return 200, {"code": 41050, "msg": "no user authority error"}, ""
        if path == "contact/v3/users/find_by_department":
            dept = query.get("department_id", "0")
            members = [self._visible(u) for u in self.users if dept in u["department_ids"]]
            return 200, self._page(members, query), ""
        if path == "im/v1/messages" and method == "POST":
            return 200, self._send(query, body), ""
        if path.startswith("im/v1/messages/") and method == "PATCH":
            message_id = path.split("/")[3]
            if not isinstance(body.get("content"), str):
                return 200, {"code": 230001, "msg": "content is not a string"}, ""
            self.card_updates.append(
                {"message_id": message_id, "card": json.loads(body["content"])}
            )
            return 200, {"code": 0, "msg": "ok", "data": {}}, ""
        return 404, {"code": 404, "msg": f"no such endpoint {path}"}, ""

    def _children(self, parent: str, deep: bool) -> list[dict[str, Any]]:
        direct = [d for d in self.departments if d["parent_department_id"] == parent]
        if not deep:
            return direct
        found: list[dict[str, Any]] = []
        for d in direct:
            found += [d, *self._children(d["open_department_id"], True)]
        return found

    def _page(self, items: list[dict[str, Any]], query: dict[str, str]) -> dict[str, Any]:
        size = min(int(query.get("page_size", 20)), self.page_size_cap)
        start = int(query.get("page_token") or 0)
        chunk = items[start : start + size]
        more = start + size < len(items)
        data: dict[str, Any] = {"has_more": more, "items": chunk}
        if more:
            data["page_token"] = str(start + size)
        return {"code": 0, "msg": "success", "data": data}

    def _visible(self, user: dict[str, Any]) -> dict[str, Any]:
        return {
            k: v for k, v in user.items() if k not in {"user_id", "mobile", "email"} - self.scopes
        }

    def _user_info(self, user_id: str) -> dict[str, Any]:
        user = next(u for u in self.users if u["user_id"] == user_id)
        return {
            "user_id": user_id,
            "open_id": user["open_id"],
            "union_id": user.get("union_id", ""),
            "name": user["name"],
            "tenant_key": "standin",
        }

    def _send(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        if query.get("receive_id_type") not in {
            "open_id",
            "user_id",
            "union_id",
            "email",
            "chat_id",
        }:
            return {"code": 99992402, "msg": "field validation failed: receive_id_type"}
        if not isinstance(body.get("content"), str):
            return {"code": 230001, "msg": "invalid message content: must be a string"}
        key = query["receive_id_type"]
        if not any(u.get(key) == body.get("receive_id") for u in self.users):
            return {"code": 230013, "msg": "Bot has NO availability to this user."}
        uuid = str(body.get("uuid") or "")
        if uuid and uuid in self._uuids:
            return {"code": 0, "msg": "success", "data": {"message_id": self._uuids[uuid]}}
        message_id = f"om_{next(self._ids)}"
        if uuid:
            self._uuids[uuid] = message_id
        self.messages.append(
            {
                "message_id": message_id,
                "receive_id": body["receive_id"],
                "msg_type": body["msg_type"],
                "content": json.loads(body["content"]),
            }
        )
        return {"code": 0, "msg": "success", "data": {"message_id": message_id}}

    # --- the event driver ---------------------------------------------------------------

    def post(
        self,
        url: str,
        payload: dict[str, Any],
        *,
        encrypt_key: str = ENCRYPT_KEY,
        at: int | None = None,
        sign: bool = True,
        accept_language: str = "",
    ) -> tuple[int, dict[str, Any]]:
        """POST `payload` to MeetOps as the platform would: encrypted, signed, timestamped
        (`accept_language` gives the request a language, as a client in between might)."""
        body = json.dumps(
            {
                "encrypt": crypto.encrypt(
                    encrypt_key, json.dumps(payload, ensure_ascii=False).encode()
                )
            }
        ).encode()
        stamp, nonce = str(at or int(time.time())), secrets.token_hex(8)
        headers = {"Content-Type": "application/json"}
        if sign:
            headers |= {
                "X-Lark-Request-Timestamp": stamp,
                "X-Lark-Request-Nonce": nonce,
                "X-Lark-Signature": crypto.signature(stamp, nonce, encrypt_key, body),
            }
        if accept_language:
            headers["Accept-Language"] = accept_language
        self.last_request = (body, headers)
        return self.post_raw(url, body, headers)

    @staticmethod
    def post_raw(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        # Generous timeout: the live server shares two busy cores with the rest of the suite.
        status, raw = fetch(url, data=body, headers=headers, timeout=60)
        try:
            return status, json.loads(raw or b"{}")
        except ValueError:
            return status, {"raw": raw.decode(errors="replace")}

    @staticmethod
    def event(
        event_type: str, event: dict[str, Any], *, token: str = VERIFICATION_TOKEN
    ) -> dict[str, Any]:
        """A schema-2.0 envelope, as the platform wraps every event and card callback."""
        return {
            "schema": "2.0",
            "header": {
                "event_id": secrets.token_hex(16),
                "event_type": event_type,
                "create_time": str(int(time.time() * 1000)),
                "token": token,
                "app_id": APP_ID,
                "tenant_key": "standin",
            },
            "event": event,
        }

    def card_action(
        self,
        *,
        user_id: str,
        value: dict[str, Any],
        message_id: str,
        form_value: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A `card.action.trigger` callback: `user_id` pressed a button of message `message_id`."""
        user = next(u for u in self.users if u["user_id"] == user_id)
        return self.event(
            "card.action.trigger",
            {
                "operator": {
                    "open_id": user["open_id"],
                    "user_id": user_id,
                    "tenant_key": "standin",
                },
                "token": f"c-{secrets.token_hex(8)}",
                "action": {"tag": "button", "value": value, "form_value": form_value or {}},
                "host": "im_message",
                "context": {"open_message_id": message_id, "open_chat_id": "oc_standin"},
            },
        )


def department(open_id: str, name: str, parent: str = "0", order: int = 0) -> dict[str, Any]:
    return {
        "name": name,
        "department_id": open_id.removeprefix("od-"),
        "open_department_id": open_id,
        "parent_department_id": parent,
        "order": str(order),
        "status": {"is_deleted": False},
    }


def person(
    user_id: str, name: str, *departments: str, main: str = "", email: str = "", mobile: str = ""
) -> dict[str, Any]:
    main = main or departments[0]
    return {
        "union_id": f"on_{user_id}",
        "user_id": user_id,
        "open_id": f"ou_{user_id}",
        "name": name,
        "en_name": "",
        "email": email,
        "mobile": mobile,
        "department_ids": list(departments),
        "job_title": "",
        "status": {
            "is_frozen": False,
            "is_resigned": False,
            "is_activated": True,
            "is_exited": False,
        },
        "orders": [
            {
                "department_id": d,
                "user_order": 0,
                "department_order": i,
                "is_primary_dept": d == main,
            }
            for i, d in enumerate(departments)
        ],
    }
