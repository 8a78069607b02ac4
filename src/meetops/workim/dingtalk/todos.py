"""DingTalk 待办 (to-do) calls: the new API under `/v1.0/todo/users/{unionId}/tasks`.

- create: `POST …/tasks?operatorId={unionId}` with `subject`, `description`, `dueTime`
  (milliseconds), `executorIds` / `participantIds` (unionIds), `detailUrl` {`appUrl`, `pcUrl`}
  and `sourceId` (ours); the answer's `id` is the task id;
- update: `PUT …/tasks/{taskId}?operatorId=` with `subject`, `description`, `dueTime`, `done`;
- delete: `DELETE …/tasks/{taskId}?operatorId=`.

The to-do API names people by their **unionId**, not the userid directory sync links them
by: it is in the record the sync kept (`unionid`), else read with `topapi/v2/user/get`.
The app needs the 待办应用中待办写权限 permission. Errors are the new API's: HTTP 4xx with
`{"code", "message"}`; an invalid token is fetched again, throttling (`…QpsLimit…`) retried.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from meetops.workim.dingtalk.client import DingTalkClient
from meetops.workim.platforms import TodoSpec

MAX_SUBJECT = 1024
MAX_DESCRIPTION = 4096
# A due date is a day; DingTalk wants a moment: the end of that day, in MeetOps' time zone.
DUE_TIME = dt.time(23, 59)


def due_millis(due: dt.date | None) -> int | None:
    if due is None:
        return None
    moment = timezone.make_aware(dt.datetime.combine(due, DUE_TIME))
    return int(moment.timestamp() * 1000)


def unionid_of(client: DingTalkClient, userid: str, raw: Mapping[str, Any]) -> str:
    """The person's unionId: from the synced record, else asked of DingTalk ("" if none)."""
    found = str(raw.get("unionid") or raw.get("unionId") or "")
    if found:
        return found
    return str(client.user(userid).get("unionid") or "")


def _path(unionid: str, task_id: str = "") -> str:
    base = f"/v1.0/todo/users/{urllib.parse.quote(unionid, safe='')}/tasks"
    if task_id:
        base += f"/{urllib.parse.quote(task_id, safe='')}"
    return f"{base}?{urllib.parse.urlencode({'operatorId': unionid})}"


def _fields(todo: TodoSpec) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": todo.title[:MAX_SUBJECT],
        "description": todo.description[:MAX_DESCRIPTION],
    }
    due = due_millis(todo.due)
    if due is not None:
        body["dueTime"] = due
    return body


def create(client: DingTalkClient, *, unionid: str, todo: TodoSpec) -> str:
    body = {
        **_fields(todo),
        "sourceId": todo.key,
        "creatorId": unionid,
        "executorIds": [unionid],
        "participantIds": [unionid],
        "detailUrl": {"appUrl": todo.url, "pcUrl": todo.url},
        "isOnlyShowExecutor": True,
    }
    answer = client.api(_path(unionid), body)
    return str(answer.get("id") or "")


def update(client: DingTalkClient, *, unionid: str, task_id: str, todo: TodoSpec) -> None:
    body = {**_fields(todo), "done": todo.done, "executorIds": [unionid]}
    client.api(_path(unionid, task_id), body, method="PUT")


def delete(client: DingTalkClient, *, unionid: str, task_id: str) -> None:
    client.api(_path(unionid, task_id), None, method="DELETE")
