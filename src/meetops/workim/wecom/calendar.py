"""Meetings in WeCom calendars: 日程 (`oa/schedule/…`) with the application's token (issue 12
item 6).

- create  `POST oa/schedule/add` `{"schedule": {…}, "agentid"}` → `schedule_id` (in the
          application's calendar; no idempotency key, so `idempotent_create = False`);
- update  `POST oa/schedule/update` `{"schedule": {"schedule_id", …}, "skip_attendees": 1}`;
- people  the same update with `skip_attendees: 0` and the whole list (`attendees` replaces
          the event's attendees, by `userid`);
- cancel  `POST oa/schedule/del` `{"schedule_id"}`.

Times are unix seconds (integers); the summary is cut to 128 characters, the description to
1000 (the documented limits).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from meetops.notifications.senders import Permanent
from meetops.workim.http import PlatformApi
from meetops.workim.platforms import CalendarEntry, PlatformCalendar

SUMMARY_CHARS = 128
DESCRIPTION_CHARS = 1000
REMIND_BEFORE_SECONDS = 900  # one of the values WeCom accepts (0, 300, 900, 3600, 86400)


def schedule(entry: CalendarEntry) -> dict[str, Any]:
    text = f"{entry.description}\n\n{entry.url}".strip()
    if len(text) > DESCRIPTION_CHARS:  # keep the link whole: it is what matters
        room = DESCRIPTION_CHARS - len(entry.url) - 3
        text = f"{entry.description[: max(room, 0)]}…\n\n{entry.url}"[:DESCRIPTION_CHARS]
    return {
        "start_time": int(entry.start.timestamp()),
        "end_time": int(entry.end.timestamp()),
        "summary": entry.title[:SUMMARY_CHARS],
        "description": text,
        "location": entry.location,
        "reminders": {"is_remind": 1, "remind_before_event_secs": REMIND_BEFORE_SECONDS},
    }


class WeComCalendar(PlatformCalendar):
    idempotent_create: ClassVar[bool] = False

    def __init__(self, api: PlatformApi, *, agent_id: int) -> None:
        self.api = api
        self.agent_id = agent_id

    def create(self, entry: CalendarEntry, *, idempotency_key: str) -> tuple[str, str]:
        answer = self.api.call(
            "POST", "oa/schedule/add", body={"schedule": schedule(entry), "agentid": self.agent_id}
        )
        schedule_id = str(answer.get("schedule_id") or "")
        if not schedule_id:
            raise Permanent("wecom created a schedule without an id", "no_event_id")
        return "", schedule_id

    def update(self, calendar_id: str, event_id: str, entry: CalendarEntry) -> None:
        self.api.call(
            "POST",
            "oa/schedule/update",
            body={"schedule": {**schedule(entry), "schedule_id": event_id}, "skip_attendees": 1},
        )

    def _set_attendees(self, event_id: str, entry: CalendarEntry) -> None:
        self.api.call(
            "POST",
            "oa/schedule/update",
            body={
                "schedule": {
                    **schedule(entry),
                    "schedule_id": event_id,
                    "attendees": [{"userid": u} for u in entry.attendees],
                },
                "skip_attendees": 0,
            },
        )

    def add_attendees(
        self, calendar_id: str, event_id: str, user_ids: Sequence[str], *, entry: CalendarEntry
    ) -> None:
        self._set_attendees(event_id, entry)

    def remove_attendees(
        self, calendar_id: str, event_id: str, user_ids: Sequence[str], *, entry: CalendarEntry
    ) -> None:
        self._set_attendees(event_id, entry)

    def delete(self, calendar_id: str, event_id: str) -> None:
        self.api.call("POST", "oa/schedule/del", body={"schedule_id": event_id})
