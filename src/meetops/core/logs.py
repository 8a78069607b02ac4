"""Logs that a machine can read: a request id on every line, and JSON on request.

`MEETOPS_LOG_FORMAT=json` writes one JSON object per line (time, level, logger,
message, request_id, and the traceback when there is one); the default stays the
plain text line. `RequestIdMiddleware` takes the caller's `X-Request-ID` when it is
sane (a proxy or load balancer usually sets one), else makes one, answers with it in
the response's `X-Request-ID`, and puts it on every log line written while the
request is handled, whatever logger writes it.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("meetops_request_id", default="")

# Letters, digits and a few separators, at most 128: nothing that can forge a log line.
SANE_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
HEADER = "X-Request-ID"


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; never raises on a value it cannot encode."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", "") or request_id.get()
        if rid:
            entry["request_id"] = rid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """Gives each request an id (the caller's if sane), for its log lines and its answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        rid = given if SANE_ID.match(given) else new_request_id()
        # Left set after we return: Django logs the response's status (django.request) once the
        # middleware is done; `request_finished` clears it (below).
        request_id.set(rid)
        response = self.get_response(request)
        response[HEADER] = rid
        return response


def _clear(**kwargs: object) -> None:
    request_id.set("")


request_finished.connect(_clear, dispatch_uid="meetops.core.logs.clear_request_id")
