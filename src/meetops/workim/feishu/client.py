"""Feishu / Lark Open API, the calls MeetOps makes (reference §3).

`MEETOPS_FEISHU_API_BASE` is the host: https://open.feishu.cn (the default), or
https://open.larksuite.com for Lark, or a private deployment / the test stand-in; paths are
under `/open-apis/`. Answers are HTTP 200 with `{"code", "msg", "data"}` (§0); the shared
client (`workim/http.py`) turns a non-zero code into `Retry` / `Permanent` with that code,
fetches the tenant token again on 99991663/99991664, and slows down on 99991400/230020.
The token goes in the `Authorization: Bearer` header.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

from meetops.workim.http import PlatformApi

FEISHU = "https://open.feishu.cn"
LARK = "https://open.larksuite.com"
PAGE_SIZE = 50
# `uuid` makes a resent message a no-op on the platform's side; it takes at most 50 chars.
UUID_LIMIT = 50


def api_root(base: str) -> str:
    return f"{(base or FEISHU).rstrip('/')}/open-apis/"


def is_lark(base: str) -> bool:
    return (base or "").rstrip("/") == LARK


def _quoted(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def receive_id_type(user_id: str) -> str:
    """The kind of id a person is linked by: `user_id`, or `open_id` (ou_…) when the app had
    no permission to read user ids at sync time."""
    return "open_id" if user_id.startswith("ou_") else "user_id"


class FeishuApi(PlatformApi):
    """One app's calls, with its tenant token (or, `which="app"`, its app token)."""

    def attach_token(self, token: str, params: dict[str, Any], headers: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {token}"

    def fetch_token(self, kind: str, app_id: str, app_secret: str) -> tuple[str, int]:
        answer = self.call(
            "POST",
            f"auth/v3/{kind}_access_token/internal",
            body={"app_id": app_id, "app_secret": app_secret},
            auth=False,
        )
        return str(answer[f"{kind}_access_token"]), int(answer.get("expire") or 7200)

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
            f"contact/v3/departments/{_quoted(root)}/children",
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
        answer = self.call(
            "GET",
            f"contact/v3/departments/{_quoted(department_id)}",
            params={"department_id_type": "open_department_id", "user_id_type": "user_id"},
        )
        return dict((answer.get("data") or {}).get("department") or {})

    def person(self, user_id: str) -> dict[str, Any]:
        answer = self.call(
            "GET",
            f"contact/v3/users/{_quoted(user_id)}",
            params={
                "user_id_type": receive_id_type(user_id),
                "department_id_type": "open_department_id",
            },
        )
        return dict((answer.get("data") or {}).get("user") or {})

    # --- messages (§3.5, §3.6) ----------------------------------------------------------

    def send(self, *, user_id: str, msg_type: str, content: Mapping[str, Any], uuid: str) -> str:
        """Send one message to one person; the message id."""
        answer = self.call(
            "POST",
            "im/v1/messages",
            params={"receive_id_type": receive_id_type(user_id)},
            body={
                "receive_id": user_id,
                "msg_type": msg_type,
                # The platform wants the content as a JSON string, not an object.
                "content": json.dumps(content, ensure_ascii=False),
                "uuid": uuid[:UUID_LIMIT],
            },
        )
        return str((answer.get("data") or {}).get("message_id", ""))

    def update_card(self, *, message_id: str, card: Mapping[str, Any]) -> None:
        """Replace a sent card for everyone who sees it (the card has `update_multi`)."""
        self.call(
            "PATCH",
            f"im/v1/messages/{_quoted(message_id)}",
            body={"content": json.dumps(card, ensure_ascii=False)},
        )

    # --- sign-in (§3.4) -----------------------------------------------------------------

    def person_from_code(self, code: str) -> dict[str, Any]:
        """Who signed in: the code exchanged (with the app token) for a user token, then
        that person's info."""
        answer = self.call(
            "POST",
            "authen/v1/oidc/access_token",
            body={"grant_type": "authorization_code", "code": code},
        )
        user_token = str((answer.get("data") or {}).get("access_token", ""))
        info = self.call(
            "GET",
            "authen/v1/user_info",
            headers={"Authorization": f"Bearer {user_token}"},
            auth=False,
        )
        return dict(info.get("data") or {})
