"""Feishu / Lark tasks (任务 v2) as people's to-dos: `task/v2/tasks`.

- create: `POST task/v2/tasks?user_id_type=…` with `summary`, `description`, `due`
  {`timestamp` (milliseconds, as a string), `is_all_day`}, `members` [{`id`, `type`: "user",
  `role`: "assignee"}] and `client_token`: the platform answers a repeated create with the
  same token with the task it already made, so a create may be sent again after a timeout;
  the answer's `data.task.guid` is the task id;
- update: `PATCH task/v2/tasks/{guid}` with `task` and `update_fields`; `completed_at` is
  the completion time in milliseconds, `"0"` to open the task again;
- delete: `DELETE task/v2/tasks/{guid}`.

The assignee is named as messages name them: `user_id`, or `open_id` (ou_…) where the app
could not read user ids at sync time. The app needs the task scope (`task:task:write`).
Errors are the Open API's (HTTP 200, `code`), handled by the shared client.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

from django.utils import timezone

from meetops.workim.feishu.client import FeishuApi, receive_id_type
from meetops.workim.platforms import TodoSpec

PATH = "task/v2/tasks"
MAX_SUMMARY = 3000
MAX_DESCRIPTION = 3000


def due_of(due: dt.date | None) -> dict[str, Any] | None:
    """An all-day due date: the day's 00:00 UTC, in milliseconds."""
    if due is None:
        return None
    moment = dt.datetime.combine(due, dt.time(0, 0), tzinfo=dt.UTC)
    return {"timestamp": str(int(moment.timestamp() * 1000)), "is_all_day": True}


def _task(todo: TodoSpec) -> dict[str, Any]:
    text = todo.description.strip()
    description = f"{text}\n\n{todo.url}" if text else todo.url
    task: dict[str, Any] = {
        "summary": todo.title[:MAX_SUMMARY],
        "description": description[:MAX_DESCRIPTION],
    }
    due = due_of(todo.due)
    if due is not None:
        task["due"] = due
    return task


def _guid_path(task_id: str) -> str:
    return f"{PATH}/{urllib.parse.quote(task_id, safe='')}"


def create(api: FeishuApi, *, assignee: str, todo: TodoSpec) -> str:
    body = {
        **_task(todo),
        "members": [{"id": assignee, "type": "user", "role": "assignee"}],
        "client_token": todo.key,
    }
    answer = api.call("POST", PATH, params={"user_id_type": receive_id_type(assignee)}, body=body)
    return str(((answer.get("data") or {}).get("task") or {}).get("guid") or "")


def update(api: FeishuApi, *, assignee: str, task_id: str, todo: TodoSpec) -> None:
    task = _task(todo)
    # Without a due date in `task`, naming `due` among the fields clears it.
    task["completed_at"] = str(int(timezone.now().timestamp() * 1000)) if todo.done else "0"
    api.call(
        "PATCH",
        _guid_path(task_id),
        params={"user_id_type": receive_id_type(assignee)},
        body={"task": task, "update_fields": ["summary", "description", "due", "completed_at"]},
    )


def delete(api: FeishuApi, *, task_id: str) -> None:
    api.call("DELETE", _guid_path(task_id))
