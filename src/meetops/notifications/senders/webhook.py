"""The generic signed outgoing webhook.

POST JSON `{"id", "event", "created_at", "meeting", "data"}` with headers
`X-MeetOps-Event`, `X-MeetOps-Delivery: <id>` (the same on every retry, so the
receiver can drop repeats) and
`X-MeetOps-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`.
The receiver should recompute the HMAC over the raw body and refuse a `t`
older than five minutes. Delivery is at least once; 2xx is success, 429 and
5xx are retried, other 4xx are permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from meetops.notifications.senders import CommitPoint, Permanent, Retry
from meetops.notifications.senders.robots import TIMEOUT


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def send(msg: Any, commit_point: CommitPoint) -> str:
    import urllib.error
    import urllib.request

    hook = msg.webhook
    body = json.dumps(
        {
            "id": str(msg.uuid),
            "event": msg.event,
            "created_at": msg.created_at.isoformat(),
            **msg.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    ts = int(time.time())
    request = urllib.request.Request(  # noqa: S310
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "MeetOps-Webhook/1",
            "X-MeetOps-Event": msg.event,
            "X-MeetOps-Delivery": str(msg.uuid),
            "X-MeetOps-Signature": signature(hook.secret, ts, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise Retry(f"cannot reach the webhook: {getattr(exc, 'reason', exc)}", "network") from exc
    if 200 <= status < 300:
        return str(status)
    if status == 429 or status >= 500:
        raise Retry(f"HTTP {status}", str(status))
    raise Permanent(f"HTTP {status}", str(status))
