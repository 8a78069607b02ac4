"""WeCom 日程 on top of the WeCom stand-in (issue 12 item 6).

Serves, behind a valid `access_token`, the documented shapes (HTTP 200, `errcode`):
`POST cgi-bin/oa/schedule/add` `{"schedule": {"start_time", "end_time" (unix integers),
"summary", "description", "location", "attendees": [{"userid"}]}, "agentid"}` →
`schedule_id`; `POST cgi-bin/oa/schedule/update` (`skip_attendees`: 1 keeps the attendees,
0 replaces them with the list given); `POST cgi-bin/oa/schedule/del` `{"schedule_id"}`.
Failures through the base's `fail_next(path, {"errcode": 45009, …})` and `expire_tokens()`.
`schedules` holds what people would see: {schedule_id: {…, "attendees": set of userids}}.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.servers.im_standin_base import Handler, Reply, Request
from tests.servers.wecom_standin import AGENT_ID, WeComStandIn


class WeComCalendarStandIn(WeComStandIn):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schedules: dict[str, dict[str, Any]] = {}
        self.deleted: list[str] = []
        self._schedule_ids = itertools.count(1)

    def routes(self) -> dict[tuple[str, str], Handler]:
        return {
            **super().routes(),
            ("POST", "cgi-bin/oa/schedule/add"): self._token_checked(self.schedule_add),
            ("POST", "cgi-bin/oa/schedule/update"): self._token_checked(self.schedule_update),
            ("POST", "cgi-bin/oa/schedule/del"): self._token_checked(self.schedule_del),
        }

    def _attendees(self, schedule: dict[str, Any]) -> set[str] | None:
        ids = {a.get("userid") for a in schedule.get("attendees") or []}
        return ids if ids <= set(self.users) else None

    def schedule_add(self, request: Request, which: str) -> Reply:
        body = request.json()
        schedule = body.get("schedule") or {}
        if str(body.get("agentid")) != AGENT_ID:
            return Reply(body={"errcode": 301002, "errmsg": "invalid agentid"})
        if not isinstance(schedule.get("start_time"), int):
            return Reply(body={"errcode": 40058, "errmsg": "invalid start_time"})
        attendees = self._attendees(schedule)
        if attendees is None:
            return Reply(body={"errcode": 60111, "errmsg": "userid not found"})
        schedule_id = f"sch{next(self._schedule_ids):04d}"
        with self.lock:
            self.schedules[schedule_id] = {**shown(schedule), "attendees": attendees}
        return Reply(body={"errcode": 0, "errmsg": "ok", "schedule_id": schedule_id})

    def schedule_update(self, request: Request, which: str) -> Reply:
        body = request.json()
        schedule = body.get("schedule") or {}
        held = self.schedules.get(str(schedule.get("schedule_id")))
        if held is None:
            return Reply(body={"errcode": 400001, "errmsg": "schedule not found"})
        with self.lock:
            held.update(shown(schedule))
            if not body.get("skip_attendees"):
                attendees = self._attendees(schedule)
                if attendees is None:
                    return Reply(body={"errcode": 60111, "errmsg": "userid not found"})
                held["attendees"] = attendees
        return Reply(body={"errcode": 0, "errmsg": "ok"})

    def schedule_del(self, request: Request, which: str) -> Reply:
        schedule_id = str(request.json().get("schedule_id"))
        with self.lock:
            if self.schedules.pop(schedule_id, None) is None:
                return Reply(body={"errcode": 400001, "errmsg": "schedule not found"})
            self.deleted.append(schedule_id)
        return Reply(body={"errcode": 0, "errmsg": "ok"})


def shown(schedule: dict[str, Any]) -> dict[str, Any]:
    return {
        k: schedule.get(k) for k in ("summary", "description", "location", "start_time", "end_time")
    }
