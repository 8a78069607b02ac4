"""WeCom 企业微信: token, application messages, web sign-in, callbacks (reference §1).

Hosts are settings (`MEETOPS_WECOM_API_BASE`, `…_LOGIN_BASE`, `…_OAUTH_BASE`) so that a
private WeCom (私有化企业微信) and the tests' stand-in work like the real one.
"""

from __future__ import annotations

import html
import logging
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.identity.providers import PersonAttributes
from meetops.notifications.senders import Permanent, SendError
from meetops.workim.http import PlatformApi
from meetops.workim.platforms import (
    CallbackRefused,
    CardAction,
    CardOutcome,
    Event,
    Field,
    PersonalMessage,
    Platform,
)
from meetops.workim.wecom import crypto
from meetops.workim.wecom.calendar import WeComCalendar

logger = logging.getLogger(__name__)

API_BASE = "https://qyapi.weixin.qq.com/cgi-bin/"
LOGIN_BASE = "https://login.work.weixin.qq.com/"
OAUTH_BASE = "https://open.weixin.qq.com/"
# The 通讯录同步 assistant's own token (user/list_id accepts only it, reference §1.2).
CONTACT = "contact"
# A callback older or newer than this is refused; its signature is remembered as long.
WINDOW_SECONDS = 300
# Codes that mean "this person is not there" (all recipients invalid; user not found).
UNKNOWN_USER = {81013, 60111, 60123}
TITLE_BYTES = 128
DESCRIPTION_BYTES = 512

CHANGE_KINDS = {
    "create_user": "user_created",
    "update_user": "user_updated",
    "delete_user": "user_left",
    "create_party": "department_created",
    "update_party": "department_updated",
    "delete_party": "department_deleted",
}


def cut(text: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes, on a character boundary, with "…" when cut."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


# A button's key comes back as the click's EventKey (≤ 1024 bytes, unique on the card): the
# action and the decision's reference, so the callback knows what was decided on (reference
# §1.6, §4: treat it as a request; decisions.py checks everything again).
KEY_SEPARATOR = "/"
KEY_BYTES = 1024
# The button text that replaces the buttons once pressed.
REPLACE_NAME_BYTES = 30
OPEN_LINK = pgettext_lazy("work IM card button, at most 10 characters", "Open the card to decide")


def button_key(action: CardAction) -> str:
    """`approve/budget/12.3`: the action, the decision's kind and its reference."""
    kind, ref = str(action.value.get("kind", "")), str(action.value.get("ref", ""))
    if not kind:
        return action.key
    key = KEY_SEPARATOR.join((action.key, kind, ref))
    if len(key.encode()) > KEY_BYTES:
        raise Permanent("wecom: a card button's key is too long", "key_too_long")
    return key


def parse_button_key(key: str) -> tuple[str, dict[str, str]]:
    """(action, {"kind", "ref"}) of a `button_key`; a bare key has no decision."""
    parts = key.split(KEY_SEPARATOR)
    if len(parts) != 3:
        return key, {}
    action, kind, ref = parts
    return action, {"kind": kind, "ref": ref}


def parse_xml(text: str) -> dict[str, str]:
    """The child elements of a callback's <xml> as {tag: text}; no DTDs, no entities."""
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise CallbackRefused("XML declarations are not accepted", "bad_xml")
    try:
        root = ET.fromstring(text)  # noqa: S314 - see above
    except ET.ParseError as exc:
        raise CallbackRefused(f"unreadable XML: {exc}", "bad_xml") from exc
    return {child.tag: (child.text or "").strip() for child in root}


class WeCom(Platform):
    key: ClassVar[str] = "wecom"
    label = _("WeCom")
    fields = (
        Field("corp_id", "MEETOPS_WECOM_CORP_ID", _("Corp ID (企业ID)")),
        Field("agent_id", "MEETOPS_WECOM_AGENT_ID", _("Application AgentId")),
        Field("secret", "MEETOPS_WECOM_SECRET", _("Application secret"), secret=True),
        Field(
            "contact_secret",
            "MEETOPS_WECOM_CONTACT_SECRET",
            _("Address book sync secret (通讯录同步)"),
            secret=True,
            required=False,
            help=_(
                "Lets directory sync list every member (user/list_id); without it, sync reads "
                "the application's visible range department by department."
            ),
        ),
        Field("token", "MEETOPS_WECOM_TOKEN", _("Callback Token"), secret=True, required=False),
        Field(
            "aes_key",
            "MEETOPS_WECOM_AES_KEY",
            _("Callback EncodingAESKey"),
            secret=True,
            required=False,
        ),
        Field("api_base", "MEETOPS_WECOM_API_BASE", _("API address"), default=API_BASE),
        Field(
            "login_base", "MEETOPS_WECOM_LOGIN_BASE", _("QR sign-in address"), default=LOGIN_BASE
        ),
        Field(
            "oauth_base",
            "MEETOPS_WECOM_OAUTH_BASE",
            _("In-app authorisation address"),
            default=OAUTH_BASE,
        ),
    )
    app_id_field = "corp_id"
    secret_field = "secret"  # noqa: S105 - the name of a setting, not a secret
    supports_cards = True
    offers_calendar = True
    invalid_token_codes = frozenset({40014, 42001})
    throttle_codes = frozenset({45009, 45033})
    directory_provider = "wecom"

    # --- token ------------------------------------------------------------------------------

    def credentials(self, which: str = "") -> tuple[str, str]:
        if which == CONTACT:
            return self.value("corp_id"), self.value("contact_secret") or self.value("secret")
        return super().credentials(which)

    def api(self, which: str = "") -> PlatformApi:
        return PlatformApi(self, base=self.value("api_base"), which=which)

    def fetch_token(self, which: str = "") -> tuple[str, int]:
        corp_id, secret = self.credentials(which)
        answer = self.api(which).call(
            "GET", "gettoken", params={"corpid": corp_id, "corpsecret": secret}, auth=False
        )
        return str(answer["access_token"]), int(answer.get("expires_in") or 7200)

    def contact_api(self) -> PlatformApi:
        """The address book's token when its secret is set, else the application's."""
        return self.api(CONTACT if self.value("contact_secret") else "")

    def calendar(self) -> WeComCalendar:
        return WeComCalendar(self.api(), agent_id=self._agent_id())

    # --- messages ---------------------------------------------------------------------------

    def _agent_id(self) -> int:
        try:
            return int(self.value("agent_id"))
        except ValueError:
            raise Permanent("MEETOPS_WECOM_AGENT_ID is not a number", "im_not_configured") from None

    def message_body(self, user_id: str, message: PersonalMessage) -> dict[str, Any]:
        """A textcard (title, text, link), or a template card with buttons when the message
        carries actions (reference §1.5, §1.6)."""
        common = {
            "touser": user_id,
            "agentid": self._agent_id(),
            # Identical bodies within half an hour are dropped by WeCom: a resend after an
            # unconfirmed attempt cannot reach the person twice.
            "enable_duplicate_check": 1,
            "duplicate_check_interval": 1800,
        }
        if message.actions:
            return {
                **common,
                "msgtype": "template_card",
                "template_card": {
                    "card_type": "button_interaction",
                    "task_id": cut(message.dedupe_key.replace(":", "-"), 128),
                    "main_title": {
                        "title": cut(message.title, 36 * 3),
                        "desc": cut(message.text, 44 * 3),
                    },
                    "card_action": {"type": 1, "url": message.url},
                    "button_list": [
                        {
                            "text": cut(a.label, 30),
                            "style": {"primary": 1, "danger": 3}.get(a.style, 2),
                            "key": button_key(a),
                        }
                        for a in message.actions[:6]
                    ],
                },
            }
        with translation.override(message.language or settings.LANGUAGE_CODE):
            details = str(pgettext_lazy("work IM card button, at most 4 characters", "Details"))
        return {
            **common,
            "msgtype": "textcard",
            "textcard": {
                "title": cut(message.title, TITLE_BYTES),
                "description": cut(html.escape(message.text, quote=False), DESCRIPTION_BYTES),
                "url": message.url,
                "btntxt": details,
            },
        }

    def send_personal(self, *, platform_user_id: str, message: PersonalMessage) -> str:
        answer = self.api().call(
            "POST", "message/send", body=self.message_body(platform_user_id, message)
        )
        invalid = {u.lower() for u in str(answer.get("invaliduser") or "").split("|") if u}
        if platform_user_id.lower() in invalid:
            # Usually outside the application's visible range (reference §1.5).
            raise Permanent(f"wecom: {platform_user_id} is not a valid recipient", "invaliduser")
        unlicensed = {u.lower() for u in str(answer.get("unlicenseduser") or "").split("|") if u}
        if platform_user_id.lower() in unlicensed:
            raise Permanent(f"wecom: {platform_user_id} has no licence", "unlicenseduser")
        return str(answer.get("msgid") or "0")

    def update_card(self, *, event: Event, outcome: CardOutcome) -> None:
        code = str(event.data.get("response_code") or "")
        if not code:
            return
        # The buttons give way to one line: the outcome once settled; otherwise (a return
        # needs a comment, which WeCom's buttons cannot carry; a refusal) the way on: the
        # card itself opens the page.
        with translation.override(outcome.language or settings.LANGUAGE_CODE):
            text = outcome.text if outcome.settled else str(OPEN_LINK)
        self.api().call(
            "POST",
            "message/update_template_card",
            body={
                "userids": [event.data.get("user_id", "")],
                "agentid": self._agent_id(),
                "response_code": code,
                "button": {"replace_name": cut(text, REPLACE_NAME_BYTES)},
            },
        )

    def card_reply(self, request: HttpRequest, event: Event, outcome: CardOutcome) -> HttpResponse:
        # The response_code works once, for 72 h: show the outcome on the button now.
        try:
            self.update_card(event=event, outcome=outcome)
        except SendError as exc:
            logger.warning("wecom: card not updated: %s", exc.code)
        return HttpResponse("")

    # --- sign-in ----------------------------------------------------------------------------

    def in_app(self, request: HttpRequest) -> bool:
        return "wxwork" in request.headers.get("User-Agent", "").lower()

    def authorize_url(self, *, state: str, redirect_uri: str, qr: bool) -> str:
        corp_id, agent_id = self.value("corp_id"), self.value("agent_id")
        if qr:
            query = urlencode(
                {
                    "login_type": "CorpApp",
                    "appid": corp_id,
                    "agentid": agent_id,
                    "redirect_uri": redirect_uri,
                    "state": state,
                    "lang": "zh",
                }
            )
            return f"{self.value('login_base').rstrip('/')}/wwlogin/sso/login?{query}"
        query = urlencode(
            {
                "appid": corp_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": "snsapi_base",
                "state": state,
                "agentid": agent_id,
            }
        )
        return f"{self.value('oauth_base').rstrip('/')}/connect/oauth2/authorize?{query}#wechat_redirect"

    def user_id_from_code(self, code: str) -> str:
        try:
            answer = self.api().call("GET", "auth/getuserinfo", params={"code": code})
        except Permanent as exc:  # 40029: invalid or used code
            raise CallbackRefused(f"code refused: {exc}", f"wecom_{exc.code}") from exc
        user_id = str(answer.get("userid") or answer.get("UserId") or "")
        if not user_id:
            # openid / external_userid: someone who is not a member of the organisation.
            raise CallbackRefused("not a member of the organisation", "not_member")
        return user_id

    # --- callbacks --------------------------------------------------------------------------

    def _callback_keys(self) -> tuple[str, str, str]:
        token, aes_key, corp_id = self.value("token"), self.value("aes_key"), self.value("corp_id")
        if not token or not aes_key:
            raise CallbackRefused("the callback Token and EncodingAESKey are not set", "no_keys")
        return token, aes_key, corp_id

    def _open(self, request: HttpRequest, encrypted: str, *, replay_guard: bool) -> str:
        token, aes_key, corp_id = self._callback_keys()
        timestamp = request.GET.get("timestamp", "")
        nonce = request.GET.get("nonce", "")
        given = request.GET.get("msg_signature", "")
        try:
            crypto.check_signature(token, timestamp, nonce, encrypted, given)
        except crypto.CryptoError as exc:
            raise CallbackRefused(str(exc), "bad_signature") from exc
        try:
            age = abs(time.time() - int(timestamp))
        except ValueError:
            raise CallbackRefused("no timestamp", "expired") from None
        if age > WINDOW_SECONDS:
            raise CallbackRefused("timestamp outside the window", "expired")
        if replay_guard:
            # services writes the Nonce row; imported here to keep platforms free of models.
            from meetops.workim.services import claim_once

            if not claim_once("wecom", given, seconds=2 * WINDOW_SECONDS):
                raise CallbackRefused("already received", "replayed")
        try:
            return crypto.decrypt(aes_key, encrypted, receive_id=corp_id)
        except crypto.CryptoError as exc:
            raise CallbackRefused(str(exc), "bad_encryption") from exc

    def parse_event(self, request: HttpRequest) -> list[Event]:
        if request.method == "GET":
            # URL check: reply with the decrypted echostr (event_reply).
            plain = self._open(request, request.GET.get("echostr", ""), replay_guard=False)
            request.workim_echo = plain  # type: ignore[attr-defined]
            return []
        if request.method != "POST":
            raise CallbackRefused("method not allowed", "bad_method")
        outer = parse_xml(request.body.decode("utf-8", "replace"))
        inner = parse_xml(self._open(request, outer.get("Encrypt", ""), replay_guard=True))
        return self.events_from(inner)

    def events_from(self, xml: Mapping[str, str]) -> list[Event]:
        """The decrypted callback as MeetOps events (others, e.g. chat messages, are ignored)."""
        if xml.get("MsgType") != "event":
            return []
        ident = f"{xml.get('FromUserName', '')}:{xml.get('CreateTime', '')}"
        if xml.get("Event") == "template_card_event":
            action, value = parse_button_key(xml.get("EventKey", ""))
            return [
                Event(
                    "card_action",
                    {
                        "user_id": xml.get("FromUserName", ""),
                        "action": action,
                        "task_id": xml.get("TaskId", ""),
                        # The task id is the outbox row's key (message_body).
                        "message_key": xml.get("TaskId", ""),
                        "response_code": xml.get("ResponseCode", ""),
                        "value": value,
                    },
                    id=f"card:{xml.get('TaskId', '')}:{ident}",
                )
            ]
        kind = (
            CHANGE_KINDS.get(xml.get("ChangeType", ""))
            if xml.get("Event") == "change_contact"
            else None
        )
        if kind is None:
            return []
        if kind.startswith("user"):
            data = {"user_id": xml.get("UserID", ""), "new_user_id": xml.get("NewUserID", "")}
            subject = data["user_id"]
        else:
            data = {"department_id": xml.get("Id", "")}
            subject = data["department_id"]
        return [Event(kind, data, id=f"{kind}:{subject}:{ident}")]

    def event_reply(self, request: HttpRequest, events: Sequence[Event]) -> HttpResponse:
        # The URL check wants the plain echostr only (no quotes, BOM or newline); events an
        # empty 200 (accepted, no passive reply).
        return HttpResponse(getattr(request, "workim_echo", ""), content_type="text/plain")

    # --- directory --------------------------------------------------------------------------

    def person(self, user_id: str) -> PersonAttributes | None:
        try:
            raw = self.contact_api().call("GET", "user/get", params={"userid": user_id})
        except Permanent as exc:
            if exc.code.isdigit() and int(exc.code) in UNKNOWN_USER:
                return None
            raise
        return person_from(raw)


def person_from(raw: Mapping[str, Any]) -> PersonAttributes:
    """A WeCom member (user/get, user/list) as MeetOps' attributes (reference §1.2)."""
    departments = tuple(str(d) for d in raw.get("department") or ())
    main = str(raw.get("main_department") or "")
    status = raw.get("status", 1)
    # `is_leader_in_dept` runs beside `department` (1: heads it); absent, WeCom did not say.
    leader = raw.get("is_leader_in_dept")
    head_of = (
        tuple(d for d, flag in zip(departments, leader, strict=False) if int(flag or 0) == 1)
        if isinstance(leader, list)
        else None
    )
    return PersonAttributes(
        external_id=str(raw["userid"]),
        username=str(raw["userid"]),
        display_name=str(raw.get("name") or ""),
        email=str(raw.get("email") or raw.get("biz_mail") or ""),
        mobile=str(raw.get("mobile") or ""),
        title=str(raw.get("position") or ""),
        department_ids=departments,
        main_department_id=main if main in departments else "",
        # 1 active; 2 disabled, 4 not activated, 5 left: not active (reference §1.2).
        active=int(status or 1) == 1,
        head_of=head_of,
        raw=dict(raw),
    )
