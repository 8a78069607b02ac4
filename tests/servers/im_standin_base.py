"""What the work IM stand-ins share: a threaded HTTP server on a loopback port that answers
JSON like the platforms (HTTP 200 with an error code in the body), records what it was
sent, and fails on request (`fail_next`), so the tests see MeetOps talk to a real socket.

    with WeComStandIn() as wecom:            # a subclass with its routes
        wecom.fail_next("message/send", {"errcode": 45009, "errmsg": "freq out of limit"})
        ...
        assert wecom.calls("message/send")

A route is a method named in `routes()`: `(method, path) -> handler(request) -> Reply`.

A stand-in with its own dispatch (DingTalk, Feishu) uses `Server` alone: a loopback server
that hands each `Request` to one function. `seal`/`unseal`/`sign` are the AES-CBC envelope
and SHA-1 signature that WeCom and DingTalk callbacks share, written from the platforms'
descriptions apart from MeetOps's own code; `fetch` is the driver's HTTP client.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import threading
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]  # names in lower case: HTTP header names are case-insensitive
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
        data = json.dumps(self.body, ensure_ascii=False).encode()
        return data, self.headers.get("Content-Type", "application/json; charset=utf-8")


def redirect(location: str) -> Reply:
    return Reply(302, b"", {"Location": location})


Handler = Callable[[Request], Reply]


class Server:
    """A threaded HTTP server on 127.0.0.1 (a free port) that answers every request with
    `answer(request)`; the tests see MeetOps talk to a real socket."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT`, without a trailing slash."""
        assert self._httpd is not None, "start the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Server:
        answer = self.answer

        class RequestHandler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                reply = answer(request)
                data, content_type = reply.encoded()
                self.send_response(reply.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    if name != "Content-Type":
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        # A short poll keeps `stop()` (and so each test's teardown) quick.
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class StandIn:
    """Base of a platform stand-in; subclasses implement `routes()`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.log: list[tuple[str, Request]] = []
        self._failures: dict[str, list[Any]] = defaultdict(list)
        self._server: Server | None = None

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
        return f"{self._server.origin}/"

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
        self._server = Server(self.handle).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- what the event drivers share -------------------------------------------------------------


def seal(aes_key: str, message: str, receive_id: str) -> str:
    """random(16) + len(4, big-endian) + message + receiveid, PKCS#7 to 32, AES-256-CBC
    (WeCom's and DingTalk's callback envelope; the key is 43 characters of base64)."""
    key = base64.b64decode(aes_key + "=")
    body = message.encode()
    data = os.urandom(16) + struct.pack(">I", len(body)) + body + receive_id.encode()
    padding = 32 - len(data) % 32
    data += bytes([padding]) * padding
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def unseal(aes_key: str, sealed: str) -> tuple[str, str]:
    """(message, receive id) from what `seal` (or MeetOps answering) made."""
    key = base64.b64decode(aes_key + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(sealed)) + decryptor.finalize()
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    return plain[20 : 20 + length].decode(), plain[20 + length :].decode()


def sign(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """SHA-1 over the four parts sorted and joined (WeCom's and DingTalk's signature)."""
    parts = sorted([token, timestamp, nonce, encrypted])
    return hashlib.sha1("".join(parts).encode()).hexdigest()  # noqa: S324 - the platforms' algorithm


def fetch(
    url: str,
    *,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, bytes]:
    """(status, body) of a request to MeetOps; a POST when `data` is given. An HTTP error
    status is an answer here, not an exception."""
    request = urllib.request.Request(
        url, data=data, method="POST" if data is not None else "GET", headers=dict(headers or {})
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
