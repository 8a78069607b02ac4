"""What the work IM stand-ins share: a threaded HTTP server on a loopback port that answers
JSON like the platforms (HTTP 200 with an error code in the body), records what it was
sent, and fails on request (`fail_next`), so the tests see MeetOps talk to a real socket.

    with WeComStandIn() as wecom:            # a subclass with its routes
        wecom.fail_next("message/send", {"errcode": 45009, "errmsg": "freq out of limit"})
        ...
        assert wecom.calls("message/send")

A route is a method named in `routes()`: `(method, path) -> handler(request) -> Reply`.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes | str):
            data = self.body.encode() if isinstance(self.body, str) else self.body
            return data, self.headers.get("Content-Type", "text/plain; charset=utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode(), "application/json"


def redirect(location: str) -> Reply:
    return Reply(302, b"", {"Location": location})


Handler = Callable[[Request], Reply]


class StandIn:
    """Base of a platform stand-in; subclasses implement `routes()`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.log: list[tuple[str, Request]] = []
        self._failures: dict[str, list[Any]] = defaultdict(list)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- what subclasses provide ------------------------------------------------------------

    def routes(self) -> dict[tuple[str, str], Handler]:
        raise NotImplementedError

    # --- test controls ----------------------------------------------------------------------

    def fail_next(self, path: str, body: Any, *, times: int = 1, status: int = 200) -> None:
        """Answer the next `times` calls of `path` with `body` instead of the real answer."""
        with self.lock:
            self._failures[path.strip("/")] += [Reply(status, body)] * times

    def calls(self, path: str) -> list[Request]:
        """The requests received for `path` (answered normally or failed on purpose)."""
        with self.lock:
            return [r for p, r in self.log if p == path.strip("/")]

    @property
    def url(self) -> str:
        assert self._server is not None, "start the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    # --- serving ----------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        path = request.path.strip("/")
        with self.lock:
            self.log.append((path, request))
            queued = self._failures.get(path)
            if queued:
                return queued.pop(0)
        handler = self.routes().get((request.method, path))
        if handler is None:
            return Reply(404, {"errcode": 404, "errmsg": f"no route {request.method} {path}"})
        return handler(request)

    def start(self) -> StandIn:
        stand_in = self

        class RequestHandler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers.items()),
                    body=self.rfile.read(length) if length else b"",
                )
                reply = stand_in.handle(request)
                data, content_type = reply.encoded()
                self.send_response(reply.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    if name != "Content-Type":
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
