"""A local stand-in for DingTalk's servers, for the tests (reference §2 and §8.1).

A threaded HTTP server on a loopback port (`im_standin_base.Server`), in the test process,
serving both API families at one address (point `MEETOPS_DINGTALK_OAPI_BASE`,
`MEETOPS_DINGTALK_API_BASE` and `MEETOPS_DINGTALK_LOGIN_BASE` at `standin.url`):

- oapi: `gettoken`; `topapi/v2/department/listsub|listsubid|get`; `topapi/v2/user/list`
  (`cursor`, `size` ≤ 100, `has_more`, `next_cursor`), `topapi/user/listid`,
  `topapi/v2/user/get`, `topapi/user/getbyunionid`, `topapi/v2/user/getuserinfo` (the in-app
  authCode, single use); `topapi/message/corpconversation/asyncsend_v2` and `getsendresult`;
- new API: `/v1.0/oauth2/accessToken`, `/v1.0/oauth2/userAccessToken` (code single use),
  `/v1.0/contact/users/me`;
- a fake QR login page `/oauth2/auth` that sends the browser back with `code` and `state`.

Failure shapes, each switched on by the test: HTTP 200 with a non-zero `errcode`; the token
turned invalid once (`expire_token()`); throttling (`throttle(path, times)`); contact fields
withheld as without the permission (`grant_contact_fields = False`); and what DingTalk does to
a second identical work notification to one person on one day: it answers success and drops
it (`sent` keeps it with `dropped=True`, `delivered()` leaves it out).

`event_request(event)` builds a callback as DingTalk sends it: the JSON encrypted with the
callback AES key and signed over token/timestamp/nonce/encrypt. Its crypto (the envelope
WeCom uses too, in `im_standin_base`) is written from the published scheme, apart from
MeetOps' own (`meetops.workim.dingtalk.crypto`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import itertools
import json
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.servers.im_standin_base import Reply, Request, Server, redirect, seal, sign, unseal
from tests.servers.im_todos import DingTalkTodos

APP_KEY = "dingstandinappkey"
APP_SECRET = "standin-app-secret"
AGENT_ID = "2400001"
CORP_ID = "dingcorpstandin0001"
CALLBACK_TOKEN = "standin-callback-token"
# 43 characters of base64 (a 32-byte key without its "=").
CALLBACK_AES_KEY = base64.b64encode(b"meetops-dingtalk-standin-aes-key").decode().rstrip("=")


@dataclass
class Sent:
    task_id: int
    userid: str
    msg: dict[str, Any]
    dropped: bool = False


@dataclass
class StandIn:
    """The stand-in's data and what it saw. Change it freely between calls."""

    url: str = ""
    departments: dict[int, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    grant_contact_fields: bool = True
    page_cap: int = 100  # fewer per page than asked for, to make paging show in small tests
    sent: list[Sent] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    next_login: str = ""  # the userid the fake QR page signs in as, without a form
    lock: threading.Lock = field(default_factory=threading.Lock)
    _token: str = ""
    _token_until: float = 0.0
    _invalid_tokens: set[str] = field(default_factory=set)
    _throttle: dict[str, list[Any]] = field(default_factory=dict)
    _oauth_codes: dict[str, str] = field(default_factory=dict)
    _user_tokens: dict[str, str] = field(default_factory=dict)
    # authCode → (userid, good until): single use, five minutes (reference §2.3).
    _jsapi_codes: dict[str, tuple[str, float]] = field(default_factory=dict)
    _delivered_today: set[tuple[str, str, str]] = field(default_factory=set)
    _task_ids: Iterator[int] = field(default_factory=lambda: itertools.count(700001))
    todo: DingTalkTodos = field(default_factory=DingTalkTodos)  # 待办 (im_todos.py)

    # --- fixtures -----------------------------------------------------------------------

    def add_department(self, dept_id: int, name: str, parent_id: int = 1, order: int = 0) -> None:
        self.departments[dept_id] = {
            "dept_id": dept_id,
            "name": name,
            "parent_id": parent_id,
            "order": order,
        }

    def add_user(
        self,
        userid: str,
        name: str,
        dept_ids: list[int],
        *,
        mobile: str = "",
        email: str = "",
        title: str = "",
        leader_in: tuple[int, ...] = (),
    ) -> dict[str, Any]:
        user = {
            "userid": userid,
            "unionid": f"union-{userid}",
            "name": name,
            "mobile": mobile,
            "state_code": "86",
            "email": email,
            "org_email": "",
            "title": title,
            "job_number": "",
            "active": True,
            "admin": False,
            "boss": False,
            "hide_mobile": False,
            "dept_id_list": list(dept_ids),
            "dept_order_list": [{"dept_id": d, "order": 0} for d in dept_ids],
            "leader_in_dept": [{"dept_id": d, "leader": d in leader_in} for d in dept_ids],
            "hired_date": 1597573616828,
        }
        self.users[userid] = user
        return user

    def expire_token(self) -> None:
        """The token handed out so far stops working (as after 2 h, or a reset secret)."""
        with self.lock:
            if self._token:
                self._invalid_tokens.add(self._token)
            self._token = ""

    def throttle(self, path: str, times: int = 1, code: int = 90018) -> None:
        """The next `times` calls to `path` answer with the throttling `code`."""
        self.fail_next(path, _err(code, "当前企业调用该接口超过每秒限制"), times=times)

    def fail_next(self, path: str, answer: dict[str, Any], *, times: int = 1) -> None:
        """The next `times` calls to `path` answer `answer` (HTTP 200), e.g. an errcode."""
        self._throttle[path.strip("/")] = [times, answer]

    def issue_jsapi_code(self, userid: str) -> str:
        """What `dd.getAuthCode` gives a page opened inside DingTalk (single use)."""
        code = "js-" + secrets.token_hex(8)
        self._jsapi_codes[code] = (userid, time.time() + JSAPI_CODE_SECONDS)
        return code

    def expire_jsapi_codes(self) -> None:
        """The authCodes handed out so far are past their five minutes."""
        with self.lock:
            self._jsapi_codes = {c: (u, 0.0) for c, (u, _until) in self._jsapi_codes.items()}

    def issue_oauth_code(self, userid: str) -> str:
        code = "qr-" + secrets.token_hex(8)
        self._oauth_codes[code] = userid
        return code

    def delivered(self, userid: str = "") -> list[Sent]:
        """What reached people (dropped duplicates left out)."""
        return [s for s in self.sent if not s.dropped and (not userid or s.userid == userid)]

    # --- callbacks to MeetOps --------------------------------------------------------------

    def event_request(
        self,
        event: dict[str, Any],
        *,
        timestamp: str = "",
        nonce: str = "",
        token: str = CALLBACK_TOKEN,
        owner: str = APP_KEY,
    ) -> tuple[dict[str, str], bytes]:
        """(query parameters, body) of DingTalk's POST carrying `event`."""
        timestamp = timestamp or str(int(time.time() * 1000))
        nonce = nonce or secrets.token_hex(4)
        encrypt = standin_encrypt(json.dumps(event, ensure_ascii=False), owner)
        signature = sign(token, timestamp, nonce, encrypt)
        query = {"signature": signature, "timestamp": timestamp, "nonce": nonce}
        return query, json.dumps({"encrypt": encrypt}).encode()

    # --- the server's answers --------------------------------------------------------------

    def answer(self, request: Request) -> Reply:
        """The HTTP answer to `request` (what `Server` calls)."""
        try:
            body = json.loads(request.body) if request.body else {}
        except ValueError:
            body = {}
        status, answer = self.handle(
            request.method, request.path, request.query, body, request.headers
        )
        if status == 302:
            return redirect(answer)
        if isinstance(answer, str):
            return Reply(status, answer, {"Content-Type": "text/html; charset=utf-8"})
        return Reply(status, answer)

    def handle(
        self, method: str, path: str, query: dict[str, str], body: dict[str, Any], headers: Any
    ) -> tuple[int, Any]:
        path = path.strip("/")
        self.calls.append(path)
        failing = self._throttle.get(path)
        if failing and failing[0] > 0:
            failing[0] -= 1
            return 200, dict(failing[1], request_id=secrets.token_hex(6))
        if path == "gettoken":
            return 200, self._gettoken(query)
        if path.startswith("v1.0/todo/"):
            return self.todo.answer(self, method, path, query, body, headers)
        if path.startswith("v1.0/"):
            return self._new_api(path, body, headers)
        if path == "oauth2/auth":
            return self._login_page(query)
        if path.startswith("topapi/"):
            token = query.get("access_token", "")
            if token in self._invalid_tokens or token != self._token or not token:
                return 200, {
                    "errcode": 88,
                    "errmsg": "不合法的access_token",
                    "sub_code": "40014",
                    "sub_msg": "不合法的access_token",
                    "request_id": secrets.token_hex(6),
                }
            handler = getattr(self, "_" + path.removeprefix("topapi/").replace("/", "_"), None)
            if handler is not None:
                return 200, handler(body)
        return 404, {"errcode": 404, "errmsg": "请求的URI地址不存在"}

    def _gettoken(self, query: dict[str, str]) -> dict[str, Any]:
        if (query.get("appkey"), query.get("appsecret")) != (APP_KEY, APP_SECRET):
            return _err(40089, "不合法的corpid或corpsecret")
        with self.lock:
            # Asking again while it is valid gives the same token (reference §2.1).
            if not self._token or self._token_until < time.time():
                self._token = "tok-" + secrets.token_hex(8)
                self._token_until = time.time() + 7200
        return {"errcode": 0, "errmsg": "ok", "access_token": self._token, "expires_in": 7200}

    def _v2_department_listsub(self, body: dict[str, Any]) -> dict[str, Any]:
        parent = int(body.get("dept_id") or 1)
        children = sorted(
            (
                d
                for d in self.departments.values()
                if d["parent_id"] == parent and d["dept_id"] != 1
            ),
            key=lambda d: (d["order"], d["dept_id"]),
        )
        # listsub does not carry `order`: the list is in the admin's order.
        items = [
            {
                "dept_id": d["dept_id"],
                "name": d["name"],
                "parent_id": d["parent_id"],
                "create_dept_group": False,
                "auto_add_user": False,
            }
            for d in children
        ]
        return _ok(items)

    def _v2_department_listsubid(self, body: dict[str, Any]) -> dict[str, Any]:
        parent = int(body.get("dept_id") or 1)
        ids = [d["dept_id"] for d in self.departments.values() if d["parent_id"] == parent]
        return _ok({"dept_id_list": ids})

    def _v2_department_get(self, body: dict[str, Any]) -> dict[str, Any]:
        dept = self.departments.get(int(body.get("dept_id") or 0))
        if dept is None:
            return _err(60003, "部门不存在")
        return _ok(dict(dept))

    def _public(self, user: dict[str, Any]) -> dict[str, Any]:
        shown = dict(user)
        if not self.grant_contact_fields:
            for key in ("mobile", "email", "org_email", "state_code"):
                shown.pop(key, None)
        return shown

    def _v2_user_list(self, body: dict[str, Any]) -> dict[str, Any]:
        size, cursor = int(body.get("size") or 0), int(body.get("cursor") or 0)
        if not 0 < size <= 100:
            return _err(40035, "不合法的参数: size")
        dept = int(body.get("dept_id") or 0)
        people = sorted(
            (u for u in self.users.values() if dept in u["dept_id_list"]),
            key=lambda u: u["userid"],
        )
        page = people[cursor : cursor + min(size, self.page_cap)]
        more = cursor + len(page) < len(people)
        result: dict[str, Any] = {"has_more": more, "list": [self._public(u) for u in page]}
        if more:
            result["next_cursor"] = cursor + len(page)
        return _ok(result)

    def _user_listid(self, body: dict[str, Any]) -> dict[str, Any]:
        dept = int(body.get("dept_id") or 0)
        ids = [u["userid"] for u in self.users.values() if dept in u["dept_id_list"]]
        return _ok({"userid_list": ids})

    def _v2_user_get(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(body.get("userid")))
        if user is None:
            return _err(60121, "找不到该用户")
        return _ok(self._public(user))

    def _user_getbyunionid(self, body: dict[str, Any]) -> dict[str, Any]:
        for user in self.users.values():
            if user["unionid"] == body.get("unionid"):
                return _ok({"contact_type": 0, "userid": user["userid"]})
        return _err(60121, "找不到该用户")

    def _v2_user_getuserinfo(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            userid, until = self._jsapi_codes.pop(str(body.get("code")), ("", 0.0))
        if not userid or until < time.time():  # unknown, used or expired: one answer
            return _err(40078, "不存在的临时授权码")
        user = self.users[userid]
        return _ok(
            {
                "userid": userid,
                "unionid": user["unionid"],
                "name": user["name"],
                "device_id": "dev-1",
                "sys": False,
                "sys_level": 0,
            }
        )

    def _message_corpconversation_asyncsend_v2(self, body: dict[str, Any]) -> dict[str, Any]:
        if str(body.get("agent_id")) != AGENT_ID:
            return _err(400001, "agent_id不合法")
        userids = [u for u in str(body.get("userid_list") or "").split(",") if u]
        if not userids or len(userids) > 100:
            return _err(40032, "不合法的userid_list长度")
        msg = body.get("msg")
        if not isinstance(msg, dict) or msg.get("msgtype") not in (
            "text",
            "image",
            "voice",
            "file",
            "link",
            "oa",
            "markdown",
            "action_card",
        ):
            return _err(40035, "不合法的参数: msg")
        task_id = next(self._task_ids)
        today = dt.date.today().isoformat()
        content = json.dumps(msg, sort_keys=True, ensure_ascii=False)
        with self.lock:
            for userid in userids:
                key = (userid, today, content)
                # Same app, same person, same content, same day: dropped, and still "ok".
                dropped = key in self._delivered_today
                self._delivered_today.add(key)
                self.sent.append(Sent(task_id=task_id, userid=userid, msg=msg, dropped=dropped))
        return {
            "errcode": 0,
            "errmsg": "ok",
            "task_id": task_id,
            "request_id": secrets.token_hex(6),
        }

    def _message_corpconversation_getsendresult(self, body: dict[str, Any]) -> dict[str, Any]:
        task_id = int(body.get("task_id") or 0)
        mine = [s for s in self.sent if s.task_id == task_id]
        invalid = [s.userid for s in mine if s.userid not in self.users]
        return {
            "errcode": 0,
            "errmsg": "ok",
            "send_result": {
                "invalid_user_id_list": invalid,
                "forbidden_user_id_list": [],
                "failed_user_id_list": [],
                "read_user_id_list": [],
                "unread_user_id_list": [s.userid for s in mine if s.userid in self.users],
                "invalid_dept_id_list": [],
                "forbidden_list": [],
            },
        }

    def _new_api(self, path: str, body: dict[str, Any], headers: Any) -> tuple[int, Any]:
        if path == "v1.0/oauth2/accessToken":
            if (body.get("appKey"), body.get("appSecret")) != (APP_KEY, APP_SECRET):
                return 400, {
                    "code": "invalidClientIdOrSecret",
                    "message": "无效的clientId或者clientSecret",
                }
            self._gettoken({"appkey": APP_KEY, "appsecret": APP_SECRET})
            return 200, {"accessToken": self._token, "expireIn": 7200}
        if path == "v1.0/oauth2/userAccessToken":
            ok_client = (body.get("clientId"), body.get("clientSecret")) == (APP_KEY, APP_SECRET)
            userid = self._oauth_codes.pop(str(body.get("code")), None)
            if not ok_client or body.get("grantType") != "authorization_code" or userid is None:
                return 400, {"code": "invalidAuthCode", "message": "不合法的临时授权码"}
            token = "ut-" + secrets.token_hex(8)
            self._user_tokens[token] = userid
            return 200, {
                "accessToken": token,
                "refreshToken": "rt-" + secrets.token_hex(8),
                "expireIn": 7200,
                "corpId": CORP_ID,
            }
        if path == "v1.0/contact/users/me":
            userid = self._user_tokens.get(headers.get("x-acs-dingtalk-access-token", ""))
            if userid is None:
                return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}
            user = self.users[userid]
            return 200, {
                "nick": user["name"],
                "unionId": user["unionid"],
                "openId": "open-" + userid,
                "mobile": user.get("mobile", ""),
                "stateCode": "86",
            }
        return 404, {"code": "NotFound", "message": path}

    def _login_page(self, query: dict[str, str]) -> tuple[int, Any]:
        if query.get("client_id") != APP_KEY or query.get("response_type") != "code":
            return 400, {"code": "invalidClient", "message": "client_id"}
        userid = query.get("login_as") or self.next_login
        if userid:
            code = self.issue_oauth_code(userid)
            back = query["redirect_uri"]
            sep = "&" if "?" in back else "?"
            target = (
                back
                + sep
                + urllib.parse.urlencode(
                    {"code": code, "authCode": code, "state": query.get("state", "")}
                )
            )
            return 302, target
        fields = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        people = "".join(
            f'<button name="login_as" value="{html.escape(u)}">{html.escape(p["name"])}</button>'
            for u, p in self.users.items()
        )
        page = (
            "<!doctype html><title>钉钉登录</title><h1>扫码登录钉钉</h1>"
            f'<form method="get" action="/oauth2/auth">{fields}{people}</form>'
        )
        return 200, page


JSAPI_CODE_SECONDS = 5 * 60


def _ok(result: Any) -> dict[str, Any]:
    return {"errcode": 0, "errmsg": "ok", "result": result, "request_id": secrets.token_hex(6)}


def _err(code: int, message: str) -> dict[str, Any]:
    return {"errcode": code, "errmsg": message, "request_id": secrets.token_hex(6)}


def standin_encrypt(message: str, owner: str, aes_key: str = CALLBACK_AES_KEY) -> str:
    """DingTalk's callback encryption, from the published scheme (not MeetOps' code)."""
    return seal(aes_key, message, owner)


def standin_decrypt(encrypt: str, aes_key: str = CALLBACK_AES_KEY) -> tuple[str, str]:
    """(message, owner key) from what MeetOps answers."""
    return unseal(aes_key, encrypt)


@contextlib.contextmanager
def running() -> Iterator[StandIn]:
    """A stand-in serving on 127.0.0.1 for the block; the root department 1 is there."""
    standin = StandIn()
    standin.add_department(1, "示例集团", parent_id=0)
    with Server(standin.answer) as server:
        standin.url = server.origin
        yield standin
