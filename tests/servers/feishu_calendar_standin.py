"""Feishu / Lark calendar v4 on top of the Feishu stand-in (issue 12 item 6).

Serves, with the tenant token, the documented shapes (HTTP 200, `{"code", "msg", "data"}`):

- `POST calendar/v4/calendars/primary` → `data.calendars[0].calendar.calendar_id`;
- `POST calendar/v4/calendars/:calendar_id/events` (`idempotency_key`: the same key gives the
  same event back) → `data.event`; `PATCH …/events/:event_id`; `DELETE …/events/:event_id`
  (193001 for an event it does not hold);
- `POST …/events/:event_id/attendees?user_id_type=` `{"attendees": [{"type": "user",
  "user_id"}]}`, `POST …/attendees/batch_delete` `{"delete_ids": [...]}`.

Failures come from the Feishu stand-in's switches (`expire_token_once`, `throttle`,
`fail_next`), which apply to these endpoints too. `events` holds what a person would see:
{event_id: {"summary", "start", "end", "location", "description", "attendees" (set)}}.
"""

from __future__ import annotations

import itertools
import urllib.parse
from dataclasses import dataclass
from typing import Any

from tests.servers.feishu_standin import FeishuStandIn

APP_CALENDAR = "feishu.cn_standin@group.calendar.feishu.cn"


@dataclass
class FeishuCalendarStandIn(FeishuStandIn):
    def __post_init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}
        self.deleted: list[str] = []
        self._idempotency: dict[str, str] = {}
        self._event_ids = itertools.count(1)
        self._throttle_attendees = 0
        super().__post_init__()

    def throttle_attendees(self, times: int = 1) -> None:
        """The next `times` attendee calls answer 99991400 (the event itself is made)."""
        self._throttle_attendees = times

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any], str]:
        if not path.startswith("calendar/v4/"):
            return super()._answer(method, path, query, headers, body)
        refused = self._token_ok(headers)
        if refused is not None:
            return 200, refused, ""
        return 200, self._calendar(method, path.split("/")[2:], query, body or {}), ""

    def _calendar(
        self, method: str, parts: list[str], query: dict[str, str], body: dict[str, Any]
    ) -> dict[str, Any]:
        parts = [urllib.parse.unquote(p) for p in parts]
        if parts == ["calendars", "primary"] and method == "POST":
            calendar = {"calendar_id": APP_CALENDAR, "summary": "MeetOps", "type": "primary"}
            return ok({"calendars": [{"calendar": calendar, "user_id": ""}]})
        if len(parts) < 3 or parts[0] != "calendars" or parts[2] != "events":
            return {"code": 404, "msg": "no such endpoint"}
        if parts[1] != APP_CALENDAR:
            return {"code": 191002, "msg": "no calendar access_role"}
        rest = parts[3:]
        if not rest and method == "POST":
            return self._create(query, body)
        event = self.events.get(rest[0]) if rest else None
        if event is None:
            return {"code": 193001, "msg": "event not found"}
        if len(rest) == 1 and method == "PATCH":
            event.update(shown(body))
            return ok({"event": {"event_id": rest[0], **shown(body)}})
        if len(rest) == 1 and method == "DELETE":
            del self.events[rest[0]]
            self.deleted.append(rest[0])
            return ok({})
        kind = query.get("user_id_type", "open_id")
        if rest[1:2] == ["attendees"] and self._throttle_attendees:
            self._throttle_attendees -= 1
            return {"code": 99991400, "msg": "request trigger frequency limit"}
        if rest[1:] == ["attendees"] and method == "POST":
            for a in body.get("attendees") or []:
                if a.get("type") != "user" or not self._known(kind, a.get("user_id")):
                    return {"code": 190002, "msg": "invalid attendee"}
            event["attendees"] |= {a["user_id"] for a in body["attendees"]}
            listed = [{"type": "user", "user_id": a["user_id"]} for a in body["attendees"]]
            return ok({"attendees": listed})
        if rest[1:] == ["attendees", "batch_delete"] and method == "POST":
            event["attendees"] -= {d.get("user_id") for d in body.get("delete_ids") or []}
            return ok({})
        return {"code": 404, "msg": "no such endpoint"}

    def _known(self, kind: str, user_id: Any) -> bool:
        return any(u.get(kind) == user_id for u in self.users)

    def _create(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(body.get("start_time", {}).get("timestamp"), str):
            return {"code": 99992402, "msg": "field validation failed: start_time.timestamp"}
        key = query.get("idempotency_key", "")
        if key and key in self._idempotency:
            event_id = self._idempotency[key]
            return ok({"event": {"event_id": event_id, **shown(body)}})
        event_id = f"evt_{next(self._event_ids)}_0"
        if key:
            self._idempotency[key] = event_id
        self.events[event_id] = {**shown(body), "attendees": set()}
        return ok({"event": {"event_id": event_id, "organizer_calendar_id": APP_CALENDAR}})


def ok(data: dict[str, Any]) -> dict[str, Any]:
    return {"code": 0, "msg": "success", "data": data}


def shown(body: dict[str, Any]) -> dict[str, Any]:
    """What a person sees of an event body."""
    return {
        "summary": body.get("summary", ""),
        "description": body.get("description", ""),
        "start": int((body.get("start_time") or {}).get("timestamp", 0)),
        "end": int((body.get("end_time") or {}).get("timestamp", 0)),
        "location": (body.get("location") or {}).get("name", ""),
    }
