"""DingTalk 钉钉 as a work IM platform (reference §2): settings, token, work notifications,
sign-in, encrypted change-event callbacks.

Receiving events: DingTalk's HTTP push mode, encrypted and signed (`crypto.py`), at
`/im/dingtalk/events/`. Deployments without a public address use the scheduled directory
sync instead (`MEETOPS_DIRECTORY_SYNC_MINUTES`): DingTalk's Stream mode is a WebSocket
protocol documented only through its SDKs (see docs/im.md, "DingTalk").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from meetops.notifications.senders import Permanent, Retry
from meetops.workim.dingtalk import messages
from meetops.workim.dingtalk import todos as dingtalk_todos
from meetops.workim.dingtalk.client import (
    API_BASE,
    INVALID_TOKEN,
    LOGIN_BASE,
    OAPI_BASE,
    THROTTLED,
    Credentials,
    DingTalkClient,
    DingTalkError,
    Throttled,
    Unreachable,
)
from meetops.workim.dingtalk.crypto import MAX_AGE_SECONDS, CallbackCrypto, CallbackError
from meetops.workim.dingtalk.directory import map_department, map_person
from meetops.workim.links import in_app_url
from meetops.workim.platforms import (
    CallbackRefused,
    Event,
    Field,
    PersonalMessage,
    Platform,
    TodoSpec,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

# DingTalk's event types and what they are to MeetOps (reference §2.2 "Change events").
USER_EVENTS = {
    "user_add_org": "user_created",
    "user_modify_org": "user_updated",
    "user_leave_org": "user_left",
}
DEPARTMENT_EVENTS = {
    "org_dept_create": "department_created",
    "org_dept_modify": "department_updated",
    "org_dept_remove": "department_deleted",
}
# Per-person send limits in `getsendresult.forbidden_list`: slow down, the notice can wait.
FORBIDDEN_RETRY = {"143103", "143104"}
# The query parameter of the in-app page that carries the corp id, and the placeholder the
# DingTalk client replaces with it when it opens a link (reference §2.3, 免登).
CORP_ID_PARAM = "corpid"
CORP_ID_PLACEHOLDER = "$CORPID$"


class DingTalk(Platform):
    key: ClassVar[str] = "dingtalk"
    # The workbench page (工作台 / H5 微应用 home) that signs people in with the JSAPI.
    in_app_page = "workim_dingtalk_app"
    label = _("DingTalk")
    fields = (
        Field("app_key", "MEETOPS_DINGTALK_APP_KEY", _("AppKey (Client ID)")),
        Field(
            "app_secret", "MEETOPS_DINGTALK_APP_SECRET", _("AppSecret (Client Secret)"), secret=True
        ),
        Field("agent_id", "MEETOPS_DINGTALK_AGENT_ID", _("AgentId")),
        Field(
            "corp_id",
            "MEETOPS_DINGTALK_CORP_ID",
            _("CorpId"),
            required=False,
            help=_("Older apps encrypt their callbacks for the CorpId rather than the AppKey."),
        ),
        Field(
            "callback_token",
            "MEETOPS_DINGTALK_CALLBACK_TOKEN",
            _("Callback signing token"),
            secret=True,
            required=False,
        ),
        Field(
            "callback_aes_key",
            "MEETOPS_DINGTALK_CALLBACK_AES_KEY",
            _("Callback encryption aes_key"),
            secret=True,
            required=False,
            help=_("43 characters, as shown in the app's event subscription settings."),
        ),
        Field("oapi_base", "MEETOPS_DINGTALK_OAPI_BASE", _("oapi address"), default=OAPI_BASE),
        Field("api_base", "MEETOPS_DINGTALK_API_BASE", _("New API address"), default=API_BASE),
        Field(
            "login_base",
            "MEETOPS_DINGTALK_LOGIN_BASE",
            _("Sign-in page address"),
            default=LOGIN_BASE,
        ),
    )
    app_id_field = "app_key"
    secret_field = "app_secret"  # noqa: S105 - the name of a setting, not a secret
    supports_cards = False
    invalid_token_codes = frozenset(INVALID_TOKEN)
    throttle_codes = frozenset(THROTTLED)
    directory_provider = "dingtalk"

    # --- the API --------------------------------------------------------------------------

    def client(self) -> DingTalkClient:
        credentials = Credentials(
            app_key=self.value("app_key"),
            app_secret=self.value("app_secret"),
            agent_id=self.value("agent_id"),
            corp_id=self.value("corp_id"),
            oapi_base=self.value("oapi_base"),
            api_base=self.value("api_base"),
            login_base=self.value("login_base"),
        )
        return DingTalkClient(credentials, token_source=lambda refresh: self.token(refresh=refresh))

    def fetch_token(self, which: str = "") -> tuple[str, int]:
        try:
            return self.client().fetch_token()
        except DingTalkError as exc:
            raise _send_error(exc) from exc

    # --- work notifications ---------------------------------------------------------------

    def send_personal(self, *, platform_user_id: str, message: PersonalMessage) -> str:
        """A work notification to one person: an action card whose button opens
        `message.url` (already the silent sign-in link). Returns DingTalk's task id.

        Raises Retry / Permanent with DingTalk's code, also when `getsendresult` says at once
        that this person was not reached (unknown, over a send limit, failed)."""
        labels = [str(a.label) for a in message.actions]
        msg = messages.work_notice(
            title=message.title,
            text=message.text,
            url=message.url,
            language=message.language,
            open_label=" / ".join(labels),
        )
        client = self.client()
        try:
            task = client.send_work_notice([platform_user_id], msg)
        except DingTalkError as exc:
            raise _send_error(exc) from exc
        try:
            result = client.send_result(task)
        except DingTalkError:
            return str(task)  # sent; only its report could not be read now
        _check_result(result, platform_user_id)
        return str(task)

    # --- to-dos (待办, dingtalk/todos.py) ----------------------------------------------------

    supports_todos = True

    def todo_assignee(self, user_id: str, raw: Mapping[str, Any]) -> str:
        unionid = _todo_call(lambda: dingtalk_todos.unionid_of(self.client(), user_id, raw))
        if not unionid:
            raise Permanent(f"DingTalk gives no unionId for {user_id}", "no_unionid")
        return unionid

    def create_todo(self, *, assignee: str, todo: TodoSpec) -> str:
        return _todo_call(lambda: dingtalk_todos.create(self.client(), unionid=assignee, todo=todo))

    def update_todo(self, *, assignee: str, task_id: str, todo: TodoSpec) -> None:
        _todo_call(
            lambda: dingtalk_todos.update(
                self.client(), unionid=assignee, task_id=task_id, todo=todo
            )
        )

    def delete_todo(self, *, assignee: str, task_id: str) -> None:
        _todo_call(lambda: dingtalk_todos.delete(self.client(), unionid=assignee, task_id=task_id))

    # --- sign-in --------------------------------------------------------------------------

    def app_url(self, url: str) -> str:
        """The in-app page (`/im/dingtalk/app/?next=…`): inside the DingTalk client it signs
        the person in with the JSAPI, no tap and no consent screen; elsewhere it leads to the
        OAuth page. The page needs the corp id: the setting, or else `$CORPID$`, which the
        client replaces with the organisation's corp id when it opens the link."""
        link = in_app_url(self.in_app_page, url)
        if self.value("corp_id"):
            return link
        return f"{link}&{CORP_ID_PARAM}={CORP_ID_PLACEHOLDER}"

    def home_page_url(self) -> str:
        """The in-app page; without a configured corp id it ends in `?corpid=$CORPID$`, which
        the client fills in when it opens the home page, as it does for links."""
        page = super().home_page_url()
        if self.value("corp_id"):
            return page
        return f"{page}?{CORP_ID_PARAM}={CORP_ID_PLACEHOLDER}"

    def in_app(self, request: HttpRequest) -> bool:
        return "dingtalk" in request.headers.get("User-Agent", "").lower()

    def authorize_url(self, *, state: str, redirect_uri: str, qr: bool) -> str:
        # Inside the DingTalk client the same page signs the person in with the account
        # already open there; forcing the consent screen would cost them a tap every time.
        return self.client().authorize_url(state=state, redirect_uri=redirect_uri, consent=qr)

    def user_id_from_code(self, code: str) -> str:
        return _confirmed(self.client().userid_from_oauth_code, code)

    def user_id_from_jsapi_code(self, code: str) -> str:
        """The userid for the authCode a page got from the JSAPI inside the DingTalk client
        (免登, reference §2.3): single use, five minutes. CallbackRefused when DingTalk does
        not confirm it (40078: no such code; any other errcode)."""
        return _confirmed(self.client().userid_from_jsapi_code, code)

    # --- callbacks ------------------------------------------------------------------------

    def crypto(self) -> CallbackCrypto:
        token, aes_key = self.value("callback_token"), self.value("callback_aes_key")
        if not token or not aes_key:
            raise CallbackRefused("callbacks are not configured", "not_configured")
        owners = [self.value("app_key"), self.value("corp_id")]
        try:
            return CallbackCrypto(token=token, aes_key=aes_key, owner_keys=owners)
        except ValueError as exc:
            raise CallbackRefused(str(exc), "not_configured") from exc

    def parse_event(self, request: HttpRequest) -> list[Event]:
        # services writes the Nonce row; imported here to keep platforms free of models.
        from meetops.workim import services

        crypto = self.crypto()
        query = request.GET
        signature = query.get("signature") or query.get("msg_signature") or ""
        timestamp = query.get("timestamp") or query.get("timeStamp") or ""
        nonce = query.get("nonce", "")
        try:
            encrypt = str(json.loads(request.body or b"{}").get("encrypt") or "")
        except (ValueError, AttributeError) as exc:
            raise CallbackRefused("the body is not DingTalk's JSON", "bad_body") from exc
        try:
            plain = crypto.open(
                signature=signature, timestamp=timestamp, nonce=nonce, encrypt=encrypt
            )
        except CallbackError as exc:
            raise CallbackRefused(str(exc), f"bad_{exc.reason}") from exc
        # A signature is only good once: a copy of a real callback is refused.
        if not services.claim_once("dingtalk", signature.lower(), seconds=2 * MAX_AGE_SECONDS):
            raise CallbackRefused("this callback was received before", "replayed")
        try:
            payload = json.loads(plain)
        except ValueError as exc:
            raise CallbackRefused("the decrypted message is not JSON", "bad_body") from exc
        return events_of(payload)

    def event_reply(self, request: HttpRequest, events: Sequence[Event]) -> HttpResponse:
        return JsonResponse(self.crypto().success_reply())

    # --- directory ------------------------------------------------------------------------

    def person(self, user_id: str) -> Any:
        try:
            return map_person(self.client().user(user_id))
        except DingTalkError as exc:
            if exc.code == "60121":  # no such user: they left
                return None
            raise

    def department(self, department_id: str) -> Any:
        try:
            raw = self.client().department(int(department_id))
        except DingTalkError as exc:
            if exc.code in ("60003", "60123"):  # no such department
                return None
            raise
        return map_department(raw)


def events_of(payload: dict[str, Any]) -> list[Event]:
    """MeetOps' events in a decrypted DingTalk callback ([] for a URL check or other types)."""
    kind = str(payload.get("EventType") or "")
    stamp = str(payload.get("TimeStamp") or "")
    if kind in USER_EVENTS:
        return [
            Event(USER_EVENTS[kind], {"user_id": str(u)}, id=f"{kind}:{stamp}:{u}")
            for u in payload.get("UserId") or []
        ]
    if kind in DEPARTMENT_EVENTS:
        return [
            Event(DEPARTMENT_EVENTS[kind], {"department_id": str(d)}, id=f"{kind}:{stamp}:{d}")
            for d in payload.get("DeptId") or []
        ]
    if kind != "check_url":
        logger.info("dingtalk: event %s ignored", kind)
    return []


def _todo_call(call: Callable[[], T]) -> T:
    """A to-do call with DingTalk's refusals as the outbox's Retry / Permanent; a request sent
    and left unanswered is a `timeout` (it may have been done)."""
    try:
        return call()
    except Unreachable as exc:
        if isinstance(exc.__cause__, TimeoutError):
            raise Retry(str(exc), "timeout") from exc
        raise _send_error(exc) from exc
    except DingTalkError as exc:
        raise _send_error(exc) from exc


def _send_error(exc: DingTalkError) -> Retry | Permanent:
    if isinstance(exc, Throttled | Unreachable):
        return Retry(str(exc), exc.code, retry_after=exc.retry_after)
    return Permanent(str(exc), exc.code)


def _check_result(result: dict[str, Any], userid: str) -> None:
    """Raise when DingTalk's report on the send names this person as not reached."""
    if userid in (result.get("invalid_user_id_list") or []):
        raise Permanent(f"DingTalk does not know the user {userid}", "invalid_user")
    for item in result.get("forbidden_list") or []:
        if str(item.get("userid")) == userid:
            code = str(item.get("code") or "forbidden")
            if code in FORBIDDEN_RETRY:
                raise Retry(f"DingTalk's send limit for {userid} ({code})", code, retry_after=60.0)
            raise Permanent(f"DingTalk refused to send to {userid} ({code})", code)
    if userid in (result.get("forbidden_user_id_list") or []):
        raise Permanent(f"DingTalk refused to send to {userid}", "forbidden")
    if userid in (result.get("failed_user_id_list") or []):
        raise Retry(f"DingTalk failed to deliver to {userid}", "failed")


def _confirmed(lookup: Callable[[str], str], code: str) -> str:
    """The userid DingTalk gives for a sign-in code; CallbackRefused when it gives none."""
    try:
        userid = lookup(code)
    except DingTalkError as exc:
        raise CallbackRefused(f"DingTalk did not confirm the code: {exc}", "bad_code") from exc
    if not userid:
        raise CallbackRefused("not a member of this organisation", "not_member")
    return userid
