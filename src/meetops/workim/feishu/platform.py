"""Feishu / Lark 飞书: token, messages and interactive cards, sign-in, callbacks (reference §3).

Lark is the same API on another host: set `MEETOPS_FEISHU_API_BASE=https://open.larksuite.com`.
Messages with actions go out as interactive cards whose buttons call back
`/im/feishu/card/` (`card.action.trigger`); the answer to that callback replaces the card
with the outcome at once ("已批准"), so no second call is needed. Other messages are `post`
(rich text) with the link that signs the person in.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy

from meetops.notifications.senders import Permanent
from meetops.workim.feishu import cards, crypto
from meetops.workim.feishu import todos as feishu_todos
from meetops.workim.feishu.calendar import FeishuCalendar
from meetops.workim.feishu.client import FEISHU, FeishuApi, api_root
from meetops.workim.platforms import (
    CallbackRefused,
    CardOutcome,
    Event,
    Field,
    PersonalMessage,
    Platform,
    TodoSpec,
)

APP = "app"  # the app token (sign-in), beside the tenant token ("") for everything else
USER_EVENTS = {
    "contact.user.created_v3": "user_created",
    "contact.user.updated_v3": "user_updated",
    "contact.user.deleted_v3": "user_left",
}
DEPARTMENT_EVENTS = {
    "contact.department.created_v3": "department_created",
    "contact.department.updated_v3": "department_updated",
    "contact.department.deleted_v3": "department_deleted",
}
CHALLENGE = "_feishu_challenge"


class Feishu(Platform):
    key: ClassVar[str] = "feishu"
    label = gettext_lazy("Feishu / Lark")
    fields = (
        Field("app_id", "MEETOPS_FEISHU_APP_ID", gettext_lazy("App ID (cli_…)")),
        Field("app_secret", "MEETOPS_FEISHU_APP_SECRET", gettext_lazy("App Secret"), secret=True),
        Field(
            "encrypt_key",
            "MEETOPS_FEISHU_ENCRYPT_KEY",
            gettext_lazy("Encrypt Key (events and callbacks)"),
            secret=True,
            required=False,
        ),
        Field(
            "verification_token",
            "MEETOPS_FEISHU_VERIFICATION_TOKEN",
            gettext_lazy("Verification Token"),
            secret=True,
            required=False,
            help=gettext_lazy("Without it, events and card callbacks are refused."),
        ),
        Field(
            "api_base",
            "MEETOPS_FEISHU_API_BASE",
            gettext_lazy("API address"),
            default=FEISHU,
            help=gettext_lazy("https://open.larksuite.com for Lark."),
        ),
    )
    app_id_field = "app_id"
    secret_field = "app_secret"  # noqa: S105 - the field's name, not a secret
    supports_cards = True
    offers_calendar = True
    invalid_token_codes = frozenset({99991663, 99991664, 99991668})
    throttle_codes = frozenset({99991400, 230020})
    directory_provider = "feishu"

    def api(self, which: str = "") -> FeishuApi:
        return FeishuApi(self, base=api_root(self.value("api_base")), which=which)

    def fetch_token(self, which: str = "") -> tuple[str, int]:
        app_id, secret = self.credentials(which)
        return self.api(which).fetch_token("app" if which == APP else "tenant", app_id, secret)

    def token_cache_key(self, which: str = "") -> str:
        # The host is part of it: Feishu and Lark (or a stand-in) never share a token.
        base = hashlib.sha256(self.value("api_base").encode()).hexdigest()[:8]
        return f"{super().token_cache_key(which)}:{base}"

    # --- messages -------------------------------------------------------------------------

    def send_personal(self, *, platform_user_id: str, message: PersonalMessage) -> str:
        uuid = hashlib.sha256((message.dedupe_key or repr(message)).encode()).hexdigest()[:40]
        if message.actions:
            msg_type, content = "interactive", cards.card(message)
        else:
            msg_type, content = "post", cards.post(message)
        return self.api().send(
            user_id=platform_user_id, msg_type=msg_type, content=content, uuid=uuid
        )

    # --- to-dos (任务 v2, feishu/todos.py) ------------------------------------------------

    supports_todos = True
    # `client_token`: the platform answers a repeated create with the task it already made.
    idempotent_todo_create = True

    def create_todo(self, *, assignee: str, todo: TodoSpec) -> str:
        return feishu_todos.create(self.api(), assignee=assignee, todo=todo)

    def update_todo(self, *, assignee: str, task_id: str, todo: TodoSpec) -> None:
        feishu_todos.update(self.api(), assignee=assignee, task_id=task_id, todo=todo)

    def delete_todo(self, *, assignee: str, task_id: str) -> None:
        feishu_todos.delete(self.api(), task_id=task_id)

    def update_card(self, *, event: Event, outcome: CardOutcome) -> None:
        message_id = str(event.data.get("message_id", ""))
        if not message_id:
            raise Permanent("the callback named no message", "no_message_id")
        self.api().update_card(message_id=message_id, card=cards.settled(event.data, outcome))

    def card_reply(self, request: HttpRequest, event: Event, outcome: CardOutcome) -> HttpResponse:
        """Within the 3 s the platform waits: a toast, and the card with the outcome in place
        of the buttons once the question is settled (left as it was otherwise, so the person
        can try again or follow the link)."""
        answer: dict[str, Any] = {
            "toast": {"type": "success" if outcome.ok else "info", "content": outcome.text}
        }
        if outcome.ok or outcome.settled:
            answer["card"] = {"type": "raw", "data": cards.settled(event.data, outcome)}
        return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})

    def calendar(self) -> FeishuCalendar:
        return FeishuCalendar(self.api())

    # --- sign-in --------------------------------------------------------------------------

    def in_app(self, request: HttpRequest) -> bool:
        agent = request.headers.get("User-Agent", "")
        return "Lark" in agent or "Feishu" in agent

    def authorize_url(self, *, state: str, redirect_uri: str, qr: bool) -> str:
        # The same page shows a QR code in a browser and signs in silently inside the client.
        return self.api().url(
            "authen/v1/index?"
            + _query({"app_id": self.value("app_id"), "redirect_uri": redirect_uri, "state": state})
        )

    def user_id_from_code(self, code: str) -> str:
        try:
            info = self.api(APP).person_from_code(code)
        except Permanent as exc:
            raise CallbackRefused(str(exc), "bad_code") from exc
        user_id = str(info.get("user_id") or info.get("open_id") or "")
        if not user_id:
            raise CallbackRefused("the platform named nobody", "bad_code")
        return user_id

    # --- callbacks ------------------------------------------------------------------------

    def parse_event(self, request: HttpRequest) -> list[Event]:
        try:
            payload = crypto.open_callback(
                body=request.body,
                headers=request.headers,
                encrypt_key=self.value("encrypt_key"),
                verification_token=self.value("verification_token"),
                now=time.time(),
            )
        except crypto.Refused as exc:
            raise CallbackRefused(f"feishu callback refused: {exc.reason}", exc.reason) from exc
        answer = crypto.challenge_answer(payload)
        if answer is not None:
            setattr(request, CHALLENGE, answer)
            return []
        signature = request.headers.get("X-Lark-Signature", "")
        # services owns the one-time values; imported here, where a callback needs one.
        from meetops.workim.services import claim_once

        if signature and not claim_once(
            "feishu-sig", signature, seconds=2 * crypto.MAX_AGE_SECONDS
        ):
            raise CallbackRefused("feishu callback replayed", "replayed")
        return events_of(payload)

    def event_reply(self, request: HttpRequest, events: Sequence[Event]) -> HttpResponse:
        challenge = getattr(request, CHALLENGE, None)
        if challenge is not None:
            return JsonResponse(challenge)
        return JsonResponse({"msg": "success"})

    # --- directory ------------------------------------------------------------------------

    def person(self, user_id: str) -> Any:
        # directory maps the platform's record; imported late, it imports this module.
        from meetops.workim.feishu.directory import person_attributes

        try:
            raw = self.api().person(user_id)
        except Permanent:
            return None
        if not raw or (raw.get("status") or {}).get("is_resigned"):
            return None
        return person_attributes(raw)

    def department(self, department_id: str) -> Any:
        # directory maps the platform's record; imported late, it imports this module.
        from meetops.workim.feishu.directory import department_attributes

        try:
            raw = self.api().department(department_id)
        except Permanent:
            return None
        if not raw or (raw.get("status") or {}).get("is_deleted"):
            return None
        return department_attributes(raw)


def _query(params: Mapping[str, str]) -> str:
    return urllib.parse.urlencode(params)


def events_of(payload: Mapping[str, Any]) -> list[Event]:
    """The events MeetOps acts on in one schema-2.0 payload (others are acknowledged)."""
    header = payload.get("header") or {}
    kind = str(header.get("event_type", ""))
    event_id = str(header.get("event_id", ""))
    body = payload.get("event") or {}
    if kind in USER_EVENTS:
        person = body.get("object") or {}
        user_id = str(person.get("user_id") or person.get("open_id") or "")
        return [Event(USER_EVENTS[kind], {"user_id": user_id, "raw": person}, id=event_id)]
    if kind in DEPARTMENT_EVENTS:
        dept = body.get("object") or {}
        department_id = str(dept.get("open_department_id") or dept.get("department_id") or "")
        return [
            Event(
                DEPARTMENT_EVENTS[kind], {"department_id": department_id, "raw": dept}, id=event_id
            )
        ]
    if kind == "card.action.trigger":
        return [card_event(body, event_id)]
    return []


def card_event(body: Mapping[str, Any], event_id: str) -> Event:
    operator = body.get("operator") or {}
    action = body.get("action") or {}
    value = dict(action.get("value") or {})
    form = action.get("form_value") or {}
    context = body.get("context") or {}
    return Event(
        "card_action",
        {
            "user_id": str(operator.get("user_id") or operator.get("open_id") or ""),
            "action": str(value.pop("act", "") or action.get("name", "")),
            "value": {"kind": value.get("kind", ""), "ref": value.get("ref", "")},
            "comment": str(form.get("comment", "") if isinstance(form, Mapping) else ""),
            "title": str(value.get("title", "")),
            "url": str(value.get("url", "")),
            "language": str(value.get("lang", "")),
            "message_key": str(value.get("msg", "")),
            "token": str(body.get("token", "")),
            "message_id": str(context.get("open_message_id", "")),
        },
        id=event_id,
    )
