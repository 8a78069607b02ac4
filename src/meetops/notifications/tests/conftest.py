"""Fixtures for the notification tests: people with languages, and real servers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def person(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """make_user plus the fields create_user does not take (language, time zone)."""

    def make(
        username: str | None = None, *, language: str = "", time_zone: str = "", **fields: Any
    ) -> Any:
        user = make_user(username, **fields)
        if language or time_zone:
            user.language, user.time_zone = language, time_zone
            user.save(update_fields=["language", "time_zone"])
        return user

    return make


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts.

    `stall_data_at=N` makes it hold the N-th message after the final "." (the
    message is already received) until `release` is set; `stall_rcpt_at=N`
    holds the N-th RCPT TO (nothing received yet). `stalled` is set meanwhile.
    """

    def __init__(self) -> None:
        import threading

        self.messages: list[Any] = []
        self.lock = threading.Lock()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.stall_data_at = 0
        self.stall_rcpt_at = 0
        self.hang_up_at = 0  # the N-th message: received, then the connection drops before "250"
        self.rcpt_count = 0
        self.delay = 0.0
        self.refuse: set[str] = set()
        self.temporary: set[str] = set()  # refused with 450 (try later) rather than 550
        self.sessions = 0
        self.port = free_port()

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        import asyncio

        self.rcpt_count += 1
        if address in self.temporary:
            return "450 4.2.2 Mailbox full"
        if address in self.refuse:
            return "550 5.1.1 No such user"
        if self.rcpt_count == self.stall_rcpt_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio
        from email import message_from_bytes, policy

        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)
            n = len(self.messages)
        if n == self.hang_up_at:
            server.transport.abort()
        if self.delay:
            await asyncio.sleep(self.delay)
        if n == self.stall_data_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def _mta_like_controller(sink: SmtpSink) -> Any:
    """aiosmtpd with one change: it finishes a message already received when the client vanishes.

    aiosmtpd cancels the session the instant the client's FIN arrives, dropping a
    message whose final "." came in the same breath. Postfix and Exim keep such a
    message (they queue it on reading the ".", and only then notice the lost
    connection: the RFC 1047 window), and so does this server: it gives the
    session half a second to process what is already in its buffer.
    """
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class FinishingSMTP(SMTP):
        def eof_received(self) -> bool:
            def later() -> None:
                SMTP.eof_received(self)
                if self.transport is not None:
                    self.transport.close()

            self.loop.call_later(0.5, later)
            return True

        def connection_lost(self, error: Exception | None) -> None:
            self.loop.call_later(0.5, SMTP.connection_lost, self, error)

    class FinishingController(Controller):
        def factory(self) -> SMTP:
            return FinishingSMTP(self.handler, **self.SMTP_kwargs)

    return FinishingController(sink, hostname="127.0.0.1", port=sink.port)


@pytest.fixture
def smtp(settings: Any) -> Any:
    """A real SMTP server, and the settings pointing Django's SMTP backend at it."""
    sink = SmtpSink()
    controller = _mta_like_controller(sink)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.release.set()
    controller.stop()


class RobotServer:
    """Plays DingTalk, WeCom and Feishu on 127.0.0.1, checking credentials and
    signatures as the real services do and answering with their error codes.

    DingTalk: POST /dingtalk/robot/send?access_token=T&timestamp=MS&sign=S
    WeCom:    POST /wecom/cgi-bin/webhook/send?key=K
    Feishu:   POST /feishu/open-apis/bot/v2/hook/T  (timestamp and sign in the body)
    Webhook:  POST /hook  (X-MeetOps-Signature)
    """

    TOKEN = "tok-123"
    SECRET = "SECabc123"
    WEBHOOK_SECRET = "whsec-1"

    def __init__(self) -> None:
        import threading
        from http.server import ThreadingHTTPServer

        self.requests: list[dict[str, Any]] = []
        self.limit_per_minute = 20
        self.webhook_status = 200
        self.lock = threading.Lock()
        server = self

        from http.server import BaseHTTPRequestHandler

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = server.handle(self.path, self.headers, raw)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        import json

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def accepted(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["kind"] == kind and r["ok"]]

    def _throttled(self, kind: str) -> bool:
        import time

        recent = [r for r in self.accepted(kind) if r["at"] > time.time() - 60]
        return len(recent) >= self.limit_per_minute

    def handle(self, path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, Any]]:
        import base64
        import hashlib
        import hmac
        import json
        import time
        from urllib.parse import parse_qs, urlparse

        url = urlparse(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = json.loads(raw or b"{}") if not url.path.startswith("/hook") else None
        record: dict[str, Any] = {
            "path": url.path,
            "body": body,
            "raw": raw,
            "headers": headers,
            "at": time.time(),
            "ok": False,
        }
        with self.lock:
            self.requests.append(record)
            if url.path == "/dingtalk/robot/send":
                record["kind"] = "dingtalk"
                if query.get("access_token") != self.TOKEN:
                    return 200, {"errcode": 300005, "errmsg": "token is not exist"}
                ts = query.get("timestamp", "0")
                # parse_qs already undid the URL encoding once, as DingTalk's server does.
                expected = base64.b64encode(
                    hmac.new(
                        self.SECRET.encode(), f"{ts}\n{self.SECRET}".encode(), hashlib.sha256
                    ).digest()
                ).decode()
                if abs(time.time() * 1000 - int(ts)) > 3600_000 or query.get("sign") != expected:
                    return 200, {
                        "errcode": 310000,
                        "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
                    }
                if self._throttled("dingtalk"):
                    return 200, {
                        "errcode": 130101,
                        "errmsg": "send too fast, exceed 20 times per minute",
                    }
            elif url.path == "/wecom/cgi-bin/webhook/send":
                record["kind"] = "wecom"
                if query.get("key") != self.TOKEN:
                    return 200, {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1]"}
                if self._throttled("wecom"):
                    return 200, {"errcode": 45009, "errmsg": "api freq out of limit"}
            elif url.path == f"/feishu/open-apis/bot/v2/hook/{self.TOKEN}":
                record["kind"] = "feishu"
                ts = str(body.get("timestamp", "0"))
                expected = base64.b64encode(
                    hmac.new(f"{ts}\n{self.SECRET}".encode(), b"", hashlib.sha256).digest()
                ).decode()
                if abs(time.time() - int(ts)) > 3600 or body.get("sign") != expected:
                    return 200, {
                        "code": 19021,
                        "msg": "sign match fail or timestamp is not within one hour from current time",
                    }
                if self._throttled("feishu"):
                    return 200, {"code": 11232, "msg": "frequency limited"}
                if not feishu_body_ok(body):
                    return 200, {"code": 9499, "msg": "Bad Request"}
                record["ok"] = True
                return 200, {
                    "code": 0,
                    "msg": "success",
                    "data": {},
                    "StatusCode": 0,
                    "StatusMessage": "success",
                }
            elif url.path.startswith("/feishu/"):
                record["kind"] = "feishu"
                return 200, {
                    "code": 19001,
                    "msg": "param invalid: incoming webhook access token invalid",
                }
            elif url.path == "/hook":
                record["kind"] = "webhook"
                sig = dict(
                    p.split("=", 1) for p in headers.get("X-MeetOps-Signature", "").split(",")
                )
                mac = hmac.new(
                    self.WEBHOOK_SECRET.encode(), f"{sig.get('t')}.".encode() + raw, hashlib.sha256
                ).hexdigest()
                if not hmac.compare_digest(mac, sig.get("v1", "")):
                    return 401, {"error": "bad signature"}
                record["body"] = json.loads(raw)
                if self.webhook_status != 200:
                    return self.webhook_status, {}
            else:
                record["kind"] = "unknown"
                return 404, {}
            record["ok"] = True
            return 200, {"errcode": 0, "errmsg": "ok"}

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def feishu_body_ok(body: dict[str, Any]) -> bool:
    """Feishu's custom-bot shapes: text with a string, or post with lines of tagged elements."""
    content = body.get("content") or {}
    if body.get("msg_type") == "text":
        return isinstance(content.get("text"), str)
    if body.get("msg_type") != "post":
        return False
    languages = content.get("post") or {}
    return bool(languages) and all(
        isinstance(lang.get("content"), list)
        and all(
            isinstance(line, list) and all(element.get("tag") in ("text", "a") for element in line)
            for line in lang["content"]
        )
        for lang in languages.values()
    )


@pytest.fixture
def robot_server() -> Any:
    server = RobotServer()
    yield server
    server.stop()
