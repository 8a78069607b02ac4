"""Group robots and the outgoing webhook against a local server that checks signatures like the vendors."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from meetops.notifications import services
from meetops.notifications.models import OutboxMessage, RobotEndpoint, Status, WebhookEndpoint
from meetops.notifications.senders import robots
from meetops.notifications.worker import Worker


def make_robot(
    server: Any,
    kind: str,
    meeting: Any,
    *,
    secret: str | None = None,
    token: str | None = None,
    **fields: Any,
) -> RobotEndpoint:
    token = token or server.TOKEN
    url = {
        "dingtalk": f"/dingtalk/robot/send?access_token={token}",
        "wecom": f"/wecom/cgi-bin/webhook/send?key={token}",
        "feishu": f"/feishu/open-apis/bot/v2/hook/{token}",
    }[kind]
    return RobotEndpoint.objects.create(
        name=kind,
        kind=kind,
        url=server.url(url),
        meeting=meeting,
        secret=server.SECRET if secret is None else secret,
        **fields,
    )


def changed(meeting: Any, n: int = 1) -> None:
    with transaction.atomic():
        for _ in range(n):
            services.enqueue(
                event="meeting.changed",
                recipients=[],
                meeting=meeting,
                context={"meeting": meeting},
            )


@pytest.mark.parametrize("kind", ["dingtalk", "wecom", "feishu"])
def test_signed_message_is_accepted(robot_server: Any, make_meeting: Any, kind: str) -> None:
    meeting = make_meeting(title="党委会（第5次）")
    robot = make_robot(robot_server, kind, meeting)
    changed(meeting)
    Worker().run_once()
    [request] = robot_server.requests
    assert request["ok"], request
    assert "党委会（第5次）" in str(request["body"])
    assert OutboxMessage.objects.get(robot=robot).status == Status.SENT


@pytest.mark.parametrize(("kind", "code"), [("dingtalk", "310000"), ("feishu", "19021")])
def test_bad_signature_is_permanent_and_shown_to_the_admin(
    robot_server: Any, make_meeting: Any, kind: str, code: str
) -> None:
    meeting = make_meeting()
    robot = make_robot(robot_server, kind, meeting, secret="SECwrong")
    changed(meeting)
    Worker().run_once()
    msg = OutboxMessage.objects.get(robot=robot)
    assert msg.status == Status.DEAD
    assert msg.attempts_log.get().response_code == code
    robot.refresh_from_db()
    assert robot.last_error.startswith(code) and "sign" in robot.last_error


def test_dingtalk_style_signature_fails_at_feishu(robot_server: Any) -> None:
    """Feishu's key is timestamp+"\\n"+secret and the message empty: the DingTalk scheme is refused."""
    import base64
    import hashlib
    import hmac
    import time

    ts = int(time.time())
    wrong = base64.b64encode(
        hmac.new(b"SECabc123", f"{ts}\nSECabc123".encode(), hashlib.sha256).digest()
    ).decode()
    assert wrong != robots.feishu_sign("SECabc123", ts)
    status, raw = robots.post_json(
        robot_server.url(f"/feishu/open-apis/bot/v2/hook/{robot_server.TOKEN}"),
        {"timestamp": str(ts), "sign": wrong, "msg_type": "text", "content": {"text": "x"}},
    )
    with pytest.raises(robots.Permanent) as exc:
        robots.check_response(status, raw)
    assert exc.value.code == "19021"


@pytest.mark.parametrize(
    ("kind", "code"), [("wecom", "93000"), ("dingtalk", "300005"), ("feishu", "19001")]
)
def test_wrong_key_is_permanent(robot_server: Any, make_meeting: Any, kind: str, code: str) -> None:
    meeting = make_meeting()
    robot = make_robot(robot_server, kind, meeting, token="removed")
    changed(meeting)
    Worker().run_once()
    msg = OutboxMessage.objects.get(robot=robot)
    assert (msg.status, msg.attempts_log.get().response_code) == (Status.DEAD, code)


@pytest.mark.parametrize(
    ("kind", "code"), [("dingtalk", "130101"), ("wecom", "45009"), ("feishu", "11232")]
)
def test_vendor_throttling_is_retried_after_a_minute(
    robot_server: Any, make_meeting: Any, kind: str, code: str
) -> None:
    meeting = make_meeting()
    robot = make_robot(robot_server, kind, meeting)
    robot_server.limit_per_minute = 0  # the vendor throttles at once
    changed(meeting)
    before = timezone.now()
    Worker().run_once()
    msg = OutboxMessage.objects.get(robot=robot)
    assert msg.status == Status.FAILED
    assert msg.attempts_log.get().response_code == code
    assert (msg.next_attempt_at - before).total_seconds() >= 60


def test_a_burst_goes_out_as_a_digest(robot_server: Any, make_meeting: Any) -> None:
    meeting = make_meeting()
    robot = make_robot(robot_server, "dingtalk", meeting)
    changed(meeting, 30)
    Worker().run_once()
    accepted = robot_server.accepted("dingtalk")
    assert len(accepted) == 2  # 20 per digest
    assert "20" in accepted[0]["body"]["markdown"]["title"]
    msgs = OutboxMessage.objects.filter(robot=robot)
    assert set(msgs.values_list("status", flat=True)) == {Status.SENT}
    assert msgs.filter(digest__isnull=False).count() == 28


def test_our_rate_limit_holds_messages_back_and_merges_them(
    robot_server: Any, make_meeting: Any
) -> None:
    meeting = make_meeting()
    robot = make_robot(robot_server, "wecom", meeting, rate_per_minute=2)
    for _ in range(2):
        changed(meeting)
        Worker().run_once()
    changed(meeting, 3)
    Worker().run_once()
    assert len(robot_server.requests) == 2  # the minute's budget is spent: nothing posted
    assert OutboxMessage.objects.filter(robot=robot, status=Status.QUEUED).count() == 3
    robot.refresh_from_db()
    RobotEndpoint.objects.filter(pk=robot.pk).update(
        recent_sends=[t - 61 for t in robot.recent_sends]
    )
    Worker().run_once()
    assert len(robot_server.requests) == 3
    assert "3" in robot_server.requests[-1]["body"]["markdown"]["content"]
    assert not OutboxMessage.objects.filter(robot=robot).exclude(status=Status.SENT).exists()


def test_disabled_robots_and_other_departments_robots_hear_nothing(
    robot_server: Any, make_meeting: Any
) -> None:
    meeting = make_meeting()
    other = make_meeting()
    make_robot(robot_server, "wecom", meeting, enabled=False)
    make_robot(robot_server, "wecom", other)
    changed(meeting)
    assert not OutboxMessage.objects.exists()


def test_signed_webhook(robot_server: Any, make_meeting: Any) -> None:
    meeting = make_meeting(title="周例会")
    WebhookEndpoint.objects.create(
        name="OA", url=robot_server.url("/hook"), secret=robot_server.WEBHOOK_SECRET
    )
    changed(meeting)
    Worker().run_once()
    [request] = robot_server.requests
    assert request["ok"]
    msg = OutboxMessage.objects.get(webhook__isnull=False)
    assert request["headers"]["X-MeetOps-Delivery"] == str(msg.uuid)
    assert request["body"]["event"] == "meeting.changed"
    assert request["body"]["meeting"]["title"] == "周例会"


def test_webhook_server_error_is_retried(robot_server: Any, make_meeting: Any) -> None:
    meeting = make_meeting()
    WebhookEndpoint.objects.create(
        name="OA", url=robot_server.url("/hook"), secret=robot_server.WEBHOOK_SECRET
    )
    robot_server.webhook_status = 503
    changed(meeting)
    Worker().run_once()
    msg = OutboxMessage.objects.get()
    assert msg.status == Status.FAILED and "503" in msg.last_error
