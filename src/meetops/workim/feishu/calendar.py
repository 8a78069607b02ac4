"""Meetings in Feishu / Lark calendars: calendar v4, with the tenant token (issue 12 item 6).

The event lives in the app's own primary calendar (`POST calendar/v4/calendars/primary`,
asked once per event and stored with it); the linked invitees are its attendees, so it
shows in their calendars, and they get the platform's own invitation and reminders.

- create  `POST calendar/v4/calendars/:calendar_id/events?idempotency_key=…`
          → `data.event.event_id` (the key makes a repeated create return the same event);
- update  `PATCH …/events/:event_id` (the same fields);
- cancel  `DELETE …/events/:event_id?need_notification=true`;
- people  `POST …/events/:event_id/attendees?user_id_type=…` `{"attendees": [{"type":
          "user", "user_id": …}]}` and `POST …/attendees/batch_delete?user_id_type=…`
          `{"delete_ids": [{"type": "user", "user_id": …}]}`.

Times are `{"timestamp": "<unix seconds as a string>", "timezone": "Asia/Shanghai"}`.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from meetops.notifications.senders import Permanent
from meetops.workim.feishu.client import FeishuApi, receive_id_type
from meetops.workim.platforms import CalendarEntry, PlatformCalendar

# "The event does not exist (any more)" [unconfirmed code]: deleting it again is done.
EVENT_GONE = frozenset({193001, 193002})


def _quoted(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _time(entry: CalendarEntry, at: Any) -> dict[str, str]:
    return {"timestamp": str(int(at.timestamp())), "timezone": entry.time_zone}


def event_body(entry: CalendarEntry) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": entry.title,
        "description": f"{entry.description}\n\n{entry.url}".strip(),
        "need_notification": True,
        "start_time": _time(entry, entry.start),
        "end_time": _time(entry, entry.end),
        "attendee_ability": "can_see_others",
        "free_busy_status": "busy",
        "visibility": "default",
    }
    if entry.location:
        body["location"] = {"name": entry.location}
    return body


class FeishuCalendar(PlatformCalendar):
    def __init__(self, api: FeishuApi) -> None:
        self.api = api

    def _events(self, calendar_id: str) -> str:
        return f"calendar/v4/calendars/{_quoted(calendar_id)}/events"

    def primary_calendar(self) -> str:
        answer = self.api.call("POST", "calendar/v4/calendars/primary")
        calendars = (answer.get("data") or {}).get("calendars") or []
        calendar_id = str(
            ((calendars[0] if calendars else {}).get("calendar") or {}).get("calendar_id") or ""
        )
        if not calendar_id:
            raise Permanent("feishu named no primary calendar for the app", "no_calendar")
        return calendar_id

    def create(self, entry: CalendarEntry, *, idempotency_key: str) -> tuple[str, str]:
        calendar_id = self.primary_calendar()
        answer = self.api.call(
            "POST",
            self._events(calendar_id),
            params={"idempotency_key": idempotency_key},
            body=event_body(entry),
        )
        event_id = str(((answer.get("data") or {}).get("event") or {}).get("event_id") or "")
        if not event_id:
            raise Permanent("feishu created an event without an id", "no_event_id")
        return calendar_id, event_id

    def update(self, calendar_id: str, event_id: str, entry: CalendarEntry) -> None:
        self.api.call(
            "PATCH", f"{self._events(calendar_id)}/{_quoted(event_id)}", body=event_body(entry)
        )

    def delete(self, calendar_id: str, event_id: str) -> None:
        try:
            self.api.call(
                "DELETE",
                f"{self._events(calendar_id)}/{_quoted(event_id)}",
                params={"need_notification": "true"},
            )
        except Permanent as exc:
            if exc.code not in {str(c) for c in EVENT_GONE}:
                raise

    def _by_id_type(self, user_ids: Sequence[str]) -> list[tuple[str, list[str]]]:
        ordered = sorted(user_ids, key=receive_id_type)
        return [(kind, list(ids)) for kind, ids in groupby(ordered, key=receive_id_type)]

    def add_attendees(
        self, calendar_id: str, event_id: str, user_ids: Sequence[str], *, entry: CalendarEntry
    ) -> None:
        for kind, ids in self._by_id_type(user_ids):
            self.api.call(
                "POST",
                f"{self._events(calendar_id)}/{_quoted(event_id)}/attendees",
                params={"user_id_type": kind},
                body={
                    "attendees": [{"type": "user", "user_id": i} for i in ids],
                    "need_notification": True,
                },
            )

    def remove_attendees(
        self, calendar_id: str, event_id: str, user_ids: Sequence[str], *, entry: CalendarEntry
    ) -> None:
        for kind, ids in self._by_id_type(user_ids):
            self.api.call(
                "POST",
                f"{self._events(calendar_id)}/{_quoted(event_id)}/attendees/batch_delete",
                params={"user_id_type": kind},
                body={
                    "delete_ids": [{"type": "user", "user_id": i} for i in ids],
                    "need_notification": True,
                },
            )
