"""The to-do endpoints of the DingTalk and Feishu stand-ins (docs/im.md, "To-dos"), kept apart
from the stand-ins' other routes: each stand-in hands requests under its to-do path here.

- `DingTalkTodos` serves DingTalk's 待办 under the new API: `POST
  /v1.0/todo/users/{unionId}/tasks?operatorId=`, `PUT …/tasks/{taskId}`, `DELETE
  …/tasks/{taskId}`; the token in `x-acs-dingtalk-access-token` (an expired one answers HTTP
  401 `InvalidAuthentication`); failures in the new API's shape, HTTP 4xx with
  `{"code", "message"}` (`throttle()`: 403 `Forbidden.AccessDenied.QpsLimitForAppkeyAndApi`).
- `FeishuTasks` serves task v2: `POST task/v2/tasks` (`client_token` answers a repeat with the
  task already made), `PATCH task/v2/tasks/{guid}` (`update_fields`, `completed_at` "0" to
  reopen), `DELETE task/v2/tasks/{guid}`; the Feishu stand-in checks the token and applies its
  failure switches (HTTP 200 with `code`: 99991663 expired, 99991400 throttled) first.

`live()` lists the tasks that exist (deleted ones left out), which is what a person sees.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from collections.abc import Iterator
from typing import Any

DINGTALK_THROTTLED = {
    "code": "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
    "message": "调用该接口超过每秒限制",
}


class DingTalkTodos:
    """DingTalk's to-do tasks, by task id."""

    def __init__(self) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self._failures: list[tuple[int, dict[str, Any]]] = []
        self._ids: Iterator[int] = itertools.count(1)

    def throttle(self, times: int = 1) -> None:
        self.fail_next(403, DINGTALK_THROTTLED, times=times)

    def fail_next(self, status: int, answer: dict[str, Any], *, times: int = 1) -> None:
        """The next `times` to-do calls answer `answer` with HTTP `status`."""
        with self.lock:
            self._failures += [(status, answer)] * times

    def live(self, unionid: str = "") -> list[dict[str, Any]]:
        return [
            t
            for t in self.tasks.values()
            if not t["deleted"] and (not unionid or unionid in t["executorIds"])
        ]

    def answer(
        self,
        standin: Any,
        method: str,
        path: str,
        query: dict[str, str],
        body: dict[str, Any],
        headers: Any,
    ) -> tuple[int, dict[str, Any]]:
        token = headers.get("x-acs-dingtalk-access-token", "")
        if not token or token != standin._token or token in standin._invalid_tokens:
            return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}
        with self.lock:
            if self._failures:
                status, answer = self._failures.pop(0)
                return status, {**answer, "requestid": secrets.token_hex(6)}
        parts = path.split("/")  # v1.0 todo users {unionId} tasks [taskId]
        if len(parts) not in (5, 6) or parts[2] != "users" or parts[4] != "tasks":
            return 404, {"code": "NotFound", "message": path}
        unionid = parts[3]
        known = {u["unionid"] for u in standin.users.values()}
        if unionid not in known or query.get("operatorId") not in known:
            return 400, {"code": "param.unionIdInvalid", "message": "unionId不存在"}
        if len(parts) == 5 and method == "POST":
            return self._create(unionid, body, known)
        task = self.tasks.get(parts[5]) if len(parts) == 6 else None
        if task is None or task["deleted"]:
            return 400, {"code": "todo.taskNotExist", "message": "待办不存在"}
        if method == "PUT":
            return self._update(task, body, known)
        if method == "DELETE":
            task["deleted"] = True
            return 200, {"requestId": secrets.token_hex(6), "result": True}
        return 404, {"code": "NotFound", "message": path}

    def _create(
        self, unionid: str, body: dict[str, Any], known: set[str]
    ) -> tuple[int, dict[str, Any]]:
        executors = body.get("executorIds")
        if not str(body.get("subject") or "").strip():
            return 400, {"code": "param.subjectEmpty", "message": "subject不能为空"}
        if not isinstance(executors, list) or not set(executors) <= known:
            return 400, {"code": "param.executorIdsInvalid", "message": "executorIds不合法"}
        due = body.get("dueTime")
        if due is not None and not isinstance(due, int):
            return 400, {"code": "param.dueTimeInvalid", "message": "dueTime不合法"}
        task_id = f"task{next(self._ids):06d}"
        task = {
            "id": task_id,
            "subject": body["subject"],
            "description": body.get("description", ""),
            "dueTime": due,
            "done": False,
            "creatorId": body.get("creatorId") or unionid,
            "executorIds": list(executors),
            "participantIds": list(body.get("participantIds") or []),
            "detailUrl": body.get("detailUrl") or {},
            "sourceId": body.get("sourceId", ""),
            "deleted": False,
        }
        with self.lock:
            self.tasks[task_id] = task
        shown = {k: v for k, v in task.items() if k != "deleted"}
        return 200, {**shown, "createdTime": 1765000000000, "modifiedTime": 1765000000000}

    @staticmethod
    def _update(
        task: dict[str, Any], body: dict[str, Any], known: set[str]
    ) -> tuple[int, dict[str, Any]]:
        if "done" in body and not isinstance(body["done"], bool):
            return 400, {"code": "param.doneInvalid", "message": "done不合法"}
        if "executorIds" in body and not set(body["executorIds"] or []) <= known:
            return 400, {"code": "param.executorIdsInvalid", "message": "executorIds不合法"}
        for name in ("subject", "description", "dueTime", "done", "executorIds"):
            if name in body:
                task[name] = body[name]
        return 200, {"requestId": secrets.token_hex(6), "result": True}


class FeishuTasks:
    """Feishu's task v2 tasks, by guid. The token and failure switches are the stand-in's."""

    def __init__(self) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}
        self._tokens: dict[str, str] = {}
        self._ids: Iterator[int] = itertools.count(1)

    def live(self, member: str = "") -> list[dict[str, Any]]:
        return [
            t
            for t in self.tasks.values()
            if not t["deleted"] and (not member or any(m["id"] == member for m in t["members"]))
        ]

    def answer(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        users: list[dict[str, Any]],
    ) -> tuple[int, dict[str, Any]]:
        parts = path.split("/")  # task v2 tasks [guid]
        if len(parts) == 3 and method == "POST":
            return 200, self._create(query, body or {}, users)
        task = self.tasks.get(parts[3]) if len(parts) == 4 else None
        if task is None or task["deleted"]:
            return 200, {"code": 1470404, "msg": "task not found"}
        if method == "PATCH":
            return 200, self._patch(task, body or {})
        if method == "DELETE":
            task["deleted"] = True
            return 200, {"code": 0, "msg": "success", "data": {}}
        return 404, {"code": 404, "msg": f"no such endpoint {path}"}

    def _create(
        self, query: dict[str, str], body: dict[str, Any], users: list[dict[str, Any]]
    ) -> dict[str, Any]:
        id_type = query.get("user_id_type", "open_id")
        if id_type not in ("open_id", "user_id", "union_id"):
            return {"code": 99992402, "msg": "field validation failed: user_id_type"}
        if not str(body.get("summary") or "").strip():
            return {"code": 99992402, "msg": "field validation failed: summary"}
        members = body.get("members") or []
        for member in members:
            if member.get("role") not in ("assignee", "follower") or not any(
                u.get(id_type) == member.get("id") for u in users
            ):
                return {"code": 99992402, "msg": "field validation failed: members"}
        due = body.get("due")
        if due is not None and not str(due.get("timestamp", "")).isdigit():
            return {"code": 99992402, "msg": "field validation failed: due.timestamp"}
        token = str(body.get("client_token") or "")
        if token and token in self._tokens:
            return self._ok(self.tasks[self._tokens[token]])
        guid = f"guid-{next(self._ids):04d}"
        self.tasks[guid] = {
            "guid": guid,
            "summary": body["summary"],
            "description": body.get("description", ""),
            "due": due,
            "members": [dict(m) for m in members],
            "completed_at": "0",
            "deleted": False,
        }
        if token:
            self._tokens[token] = guid
        return self._ok(self.tasks[guid])

    def _patch(self, task: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        fields = body.get("update_fields")
        changes = body.get("task")
        allowed = {"summary", "description", "due", "completed_at", "start", "extra"}
        if not fields or not isinstance(changes, dict) or not set(fields) <= allowed:
            return {"code": 99992402, "msg": "field validation failed: update_fields"}
        completed = str(changes.get("completed_at", task["completed_at"]))
        if not completed.isdigit():
            return {"code": 99992402, "msg": "field validation failed: completed_at"}
        for name in fields:
            task[name] = changes.get(name)
        task["completed_at"] = completed
        return self._ok(task)

    @staticmethod
    def _ok(task: dict[str, Any]) -> dict[str, Any]:
        shown = json.loads(json.dumps({k: v for k, v in task.items() if k != "deleted"}))
        return {"code": 0, "msg": "success", "data": {"task": shown}}
