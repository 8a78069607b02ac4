"""A local WeCom 企业微信 for the tests (reference §8.1): the documented endpoints and shapes
under `/cgi-bin/`, the QR and in-app sign-in pages, and a driver that calls MeetOps's
callback URL with correctly encrypted and signed events.

Failure shapes: HTTP 200 with a non-zero `errcode` everywhere; `expire_tokens()` makes every
issued token answer 40014 once; `fail_next(path, {"errcode": 45009, …})` throttles; codes
are single-use (40029 on reuse); a recipient outside the directory comes back in
`invaliduser`, all of them invalid is 81013.

The encryption (`seal`, `sign`, in `im_standin_base`, shared with the DingTalk stand-in) is
written from WeCom's description (doc path/90968), apart from MeetOps's own, so a mistake in
one does not hide in the other; both are checked against the official test vector.
"""

from __future__ import annotations

import base64
import itertools
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from tests.servers.im_standin_base import (
    Handler,
    Reply,
    Request,
    StandIn,
    fetch,
    redirect,
    seal,
    sign,
)

CORP_ID = "ww-standin-corp"
AGENT_ID = "1000002"
SECRET = "app-secret"
CONTACT_SECRET = "contact-secret"
TOKEN = "callback-token"
AES_KEY = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode().rstrip("=")


def department(id: int, name: str, parent: int, order: int) -> dict[str, Any]:
    return {"id": id, "name": name, "name_en": "", "parentid": parent, "order": order}


def member(
    userid: str,
    name: str,
    departments: list[int],
    *,
    main: int | None = None,
    mobile: str = "",
    email: str = "",
    position: str = "",
    status: int = 1,
    leader_in: tuple[int, ...] | None = None,
) -> dict[str, Any]:
    # `is_leader_in_dept` runs beside `department`; left out unless a test names the heads.
    leader = (
        {}
        if leader_in is None
        else {"is_leader_in_dept": [int(d in leader_in) for d in departments]}
    )
    return {
        **leader,
        "userid": userid,
        "name": name,
        "department": departments,
        "order": [0] * len(departments),
        "main_department": main or departments[0],
        "position": position,
        "mobile": mobile,
        "email": email,
        "status": status,
    }


class WeComStandIn(StandIn):
    """State the tests read and change: `departments`, `users`, `sent`, `login_as`."""

    def __init__(self, *, page_size: int = 2, private_fields: bool = True) -> None:
        super().__init__()
        self.departments: list[dict[str, Any]] = [
            department(1, "示范大学", 0, 100),
            department(2, "党委办公室", 1, 300),
            department(3, "计算机学院", 1, 200),
            department(4, "软件工程系", 3, 100),
        ]
        self.users: dict[str, dict[str, Any]] = {}
        # The rows of user/list_id per page: small, so a handful of people spans pages.
        self.page_size = page_size
        # False: like an app made after 2022-06-20, no mobile or e-mail in answers.
        self.private_fields = private_fields
        self.tokens: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.response_codes: dict[str, bool] = {}
        self.sent: list[dict[str, Any]] = []
        self.card_updates: list[dict[str, Any]] = []
        self.login_as = ""
        self.last_callback: tuple[str, bytes] = ("", b"")
        self._counter = itertools.count(1)

    # --- test controls ----------------------------------------------------------------------

    def add(self, user: dict[str, Any]) -> dict[str, Any]:
        self.users[user["userid"]] = user
        return user

    def expire_tokens(self) -> None:
        """Every token issued so far is refused (40014) from now on."""
        with self.lock:
            self.tokens = dict.fromkeys(self.tokens, "expired")

    def issue_code(self, userid: str) -> str:
        code = f"code-{next(self._counter)}-{userid}"
        self.codes[code] = userid
        return code

    def env(self, *, contact: bool = True) -> dict[str, str]:
        """The MeetOps settings that point at this stand-in."""
        return {
            "MEETOPS_WECOM_CORP_ID": CORP_ID,
            "MEETOPS_WECOM_AGENT_ID": AGENT_ID,
            "MEETOPS_WECOM_SECRET": SECRET,
            "MEETOPS_WECOM_CONTACT_SECRET": CONTACT_SECRET if contact else "",
            "MEETOPS_WECOM_TOKEN": TOKEN,
            "MEETOPS_WECOM_AES_KEY": AES_KEY,
            "MEETOPS_WECOM_API_BASE": f"{self.url}cgi-bin/",
            "MEETOPS_WECOM_LOGIN_BASE": self.url,
            "MEETOPS_WECOM_OAUTH_BASE": self.url,
        }

    # --- the event driver -------------------------------------------------------------------

    def callback(
        self,
        url: str,
        inner: str,
        *,
        timestamp: int | None = None,
        nonce: str | None = None,
        signature: str | None = None,
        receive_id: str = CORP_ID,
        accept_language: str = "",
    ) -> tuple[int, str]:
        """POST an encrypted, signed event to MeetOps's callback `url`: (status, body).
        `accept_language` gives the request a language (WeCom's own requests carry none)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or str(next(self._counter) * 7919)
        encrypted = seal(AES_KEY, inner, receive_id)
        query = {
            "msg_signature": signature or sign(TOKEN, ts, nonce, encrypted),
            "timestamp": ts,
            "nonce": nonce,
        }
        body = (
            f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
            f"<AgentID><![CDATA[{AGENT_ID}]]></AgentID>"
            f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        )
        self.last_callback = (f"{url}?{urlencode(query)}", body.encode())
        return _post(*self.last_callback, accept_language=accept_language)

    def replay_last(self) -> tuple[int, str]:
        """Send the last callback again, byte for byte (what an attacker who saw it can do)."""
        return _post(*self.last_callback)

    def url_check(self, url: str, echo: str = "1616140317555161061") -> tuple[int, str]:
        ts, nonce = str(int(time.time())), "4242"
        encrypted = seal(AES_KEY, echo, CORP_ID)
        query = {
            "msg_signature": sign(TOKEN, ts, nonce, encrypted),
            "timestamp": ts,
            "nonce": nonce,
            "echostr": encrypted,
        }
        return _get(f"{url}?{urlencode(query)}")

    def card_click(
        self, url: str, *, userid: str, key: str, task_id: str, **forge: Any
    ) -> tuple[int, str]:
        """A member presses a button of a template card: WeCom's `template_card_event` (doc
        path/90240 "模板卡片事件推送"), encrypted and signed, to MeetOps's callback `url`.
        It carries a fresh ResponseCode, good once for update_template_card. `forge` goes to
        `callback` (a wrong signature, another corp's receive id, an old timestamp)."""
        response_code = f"rc-{next(self._counter)}"
        with self.lock:
            self.response_codes[response_code] = True
        inner = (
            f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
            f"<FromUserName><![CDATA[{userid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime>"
            "<MsgType><![CDATA[event]]></MsgType>"
            "<Event><![CDATA[template_card_event]]></Event>"
            f"<EventKey><![CDATA[{key}]]></EventKey>"
            f"<TaskId><![CDATA[{task_id}]]></TaskId>"
            "<CardType><![CDATA[button_interaction]]></CardType>"
            f"<ResponseCode><![CDATA[{response_code}]]></ResponseCode>"
            f"<AgentID>{AGENT_ID}</AgentID></xml>"
        )
        return self.callback(url, inner, **forge)

    @staticmethod
    def change_contact(change_type: str, **fields: str) -> str:
        items = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items())
        return (
            f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
            "<FromUserName><![CDATA[sys]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime>"
            "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
            f"<ChangeType><![CDATA[{change_type}]]></ChangeType>{items}</xml>"
        )

    # --- routes -----------------------------------------------------------------------------

    def routes(self) -> dict[tuple[str, str], Handler]:
        return {
            ("GET", "cgi-bin/gettoken"): self.gettoken,
            ("GET", "cgi-bin/department/list"): self._token_checked(self.department_list),
            ("GET", "cgi-bin/department/simplelist"): self._token_checked(
                self.department_simplelist
            ),
            ("POST", "cgi-bin/user/list_id"): self._token_checked(self.user_list_id),
            ("GET", "cgi-bin/user/get"): self._token_checked(self.user_get),
            ("GET", "cgi-bin/user/list"): self._token_checked(self.user_list),
            ("GET", "cgi-bin/auth/getuserinfo"): self._token_checked(self.getuserinfo),
            ("POST", "cgi-bin/message/send"): self._token_checked(self.message_send),
            ("POST", "cgi-bin/message/update_template_card"): self._token_checked(
                self.update_template_card
            ),
            ("GET", "wwlogin/sso/login"): self.login_page,
            ("GET", "connect/oauth2/authorize"): self.login_page,
        }

    def _token_checked(self, handler: Callable[[Request, str], Reply]) -> Handler:
        """The route behind a valid `access_token`; the handler learns which secret issued it
        ("app" or "contact"). An unknown or expired token answers 40014."""

        def checked(request: Request) -> Reply:
            which = self.tokens.get(request.query.get("access_token", ""))
            if which is None or which == "expired":
                return Reply(body={"errcode": 40014, "errmsg": "invalid access_token"})
            return handler(request, which)

        return checked

    def gettoken(self, request: Request) -> Reply:
        if request.query.get("corpid") != CORP_ID:
            return Reply(body={"errcode": 40013, "errmsg": "invalid corpid"})
        which = {SECRET: "app", CONTACT_SECRET: "contact"}.get(request.query.get("corpsecret", ""))
        if which is None:
            return Reply(body={"errcode": 40001, "errmsg": "invalid credential"})
        token = f"tok-{next(self._counter)}-{which}"
        with self.lock:
            self.tokens[token] = which
        return Reply(body={"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

    def department_list(self, request: Request, which: str) -> Reply:
        return Reply(body={"errcode": 0, "errmsg": "ok", "department": self.departments})

    def department_simplelist(self, request: Request, which: str) -> Reply:
        ids = [
            {"id": d["id"], "parentid": d["parentid"], "order": d["order"]}
            for d in self.departments
        ]
        return Reply(body={"errcode": 0, "errmsg": "ok", "department_id": ids})

    def user_list_id(self, request: Request, which: str) -> Reply:
        if which != "contact":  # only the address book's secret may (reference §1.2)
            return Reply(body={"errcode": 48009, "errmsg": "api forbidden"})
        body = request.json()
        rows = [
            {"userid": u["userid"], "department": d}
            for u in sorted(self.users.values(), key=lambda u: u["userid"])
            for d in u["department"]
        ]
        start = int(body.get("cursor") or 0)
        limit = min(int(body.get("limit") or 10000), self.page_size)
        page = rows[start : start + limit]
        more = start + limit < len(rows)
        return Reply(
            body={
                "errcode": 0,
                "errmsg": "ok",
                "next_cursor": str(start + limit) if more else "",
                "dept_user": page,
            }
        )

    def _visible(self, user: dict[str, Any], which: str) -> dict[str, Any]:
        if which == "contact" or self.private_fields:
            return dict(user)
        return {k: v for k, v in user.items() if k not in ("mobile", "email", "biz_mail")}

    def user_get(self, request: Request, which: str) -> Reply:
        user = self.users.get(request.query.get("userid", ""))
        if user is None:
            return Reply(body={"errcode": 60111, "errmsg": "userid not found"})
        return Reply(body={"errcode": 0, "errmsg": "ok", **self._visible(user, which)})

    def user_list(self, request: Request, which: str) -> Reply:
        dept = int(request.query.get("department_id") or 0)
        found = [self._visible(u, which) for u in self.users.values() if dept in u["department"]]
        return Reply(body={"errcode": 0, "errmsg": "ok", "userlist": found})

    def getuserinfo(self, request: Request, which: str) -> Reply:
        with self.lock:
            userid = self.codes.pop(request.query.get("code", ""), None)
        if userid is None:
            return Reply(body={"errcode": 40029, "errmsg": "invalid code"})
        return Reply(body={"errcode": 0, "errmsg": "ok", "userid": userid})

    def message_send(self, request: Request, which: str) -> Reply:
        body = request.json()
        if str(body.get("agentid")) != AGENT_ID:
            return Reply(body={"errcode": 40056, "errmsg": "invalid agentid"})
        wanted = [u for u in str(body.get("touser", "")).split("|") if u]
        invalid = [u.lower() for u in wanted if u not in self.users]
        if not wanted:
            return Reply(body={"errcode": 82001, "errmsg": "All touser & toparty & totag invalid"})
        if len(invalid) == len(wanted):
            return Reply(body={"errcode": 81013, "errmsg": "user & party & tag all invalid"})
        msgid = f"msg-{next(self._counter)}"
        response_code = ""
        if body.get("msgtype") == "template_card":
            problem = _card_problem(body.get("template_card") or {})
            if problem:
                return Reply(body={"errcode": 40058, "errmsg": problem})
            response_code = f"rc-{next(self._counter)}"
            self.response_codes[response_code] = True
        with self.lock:
            self.sent.append(body)
        return Reply(
            body={
                "errcode": 0,
                "errmsg": "ok",
                "invaliduser": "|".join(invalid),
                "invalidparty": "",
                "invalidtag": "",
                "unlicenseduser": "",
                "msgid": msgid,
                "response_code": response_code,
            }
        )

    def update_template_card(self, request: Request, which: str) -> Reply:
        body = request.json()
        with self.lock:
            fresh = self.response_codes.pop(str(body.get("response_code", "")), False)
        if not fresh:
            return Reply(body={"errcode": 40171, "errmsg": "invalid response_code"})
        self.card_updates.append(body)
        return Reply(body={"errcode": 0, "errmsg": "ok", "invalidusers": []})

    def login_page(self, request: Request) -> Reply:
        """The QR page (or in-app authorisation): the person "scans" as `login_as`."""
        target = request.query.get("redirect_uri", "")
        state = request.query.get("state", "")
        if request.query.get("appid") != CORP_ID or not target:
            return Reply(400, "bad appid or redirect_uri")
        if not self.login_as:  # the person refused: only the state comes back
            return redirect(f"{target}?{urlencode({'state': state})}")
        code = self.issue_code(self.login_as)
        return redirect(f"{target}?{urlencode({'code': code, 'state': state})}")


def _card_problem(card: dict[str, Any]) -> str:
    """What WeCom refuses in a button_interaction card (doc path/90236, reference §1.6)."""
    task_id = str(card.get("task_id", ""))
    if not task_id or len(task_id.encode()) > 128 or not re.fullmatch(r"[A-Za-z0-9_\-@]+", task_id):
        return "invalid task_id"
    keys = [str(b.get("key", "")) for b in card.get("button_list") or []]
    if card.get("card_type") == "button_interaction" and not keys:
        return "button_list required"
    if any(not k or len(k.encode()) > 1024 for k in keys) or len(set(keys)) != len(keys):
        return "invalid button key"
    return ""


def _post(url: str, data: bytes, *, accept_language: str = "") -> tuple[int, str]:
    headers = {"Content-Type": "text/xml"}
    if accept_language:
        headers["Accept-Language"] = accept_language
    status, body = fetch(url, data=data, headers=headers, timeout=10)
    return status, body.decode()


def _get(url: str) -> tuple[int, str]:
    status, body = fetch(url, timeout=10)
    return status, body.decode()
