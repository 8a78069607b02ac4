"""What a group robot's endpoint receives: Chinese with full-width punctuation and 北京时间,
Feishu as rich text (post) rather than markdown typed into a text message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction

from meetops.notifications import services
from meetops.notifications.tests.test_robots import changed, make_robot
from meetops.notifications.worker import Worker

pytestmark = pytest.mark.django_db


def post_texts(body: dict[str, Any]) -> tuple[str, list[str], list[dict[str, Any]]]:
    """(language key, lines as text, every element) of a Feishu post."""
    ((key, post),) = body["content"]["post"].items()
    lines = ["".join(e["text"] for e in line) for line in post["content"]]
    return key, [post["title"], *lines], [e for line in post["content"] for e in line]


def test_feishu_gets_a_post_in_chinese_with_beijing_time(robot_server, make_meeting):
    meeting = make_meeting(title="党委会（第5次）", location="信息中心二楼报告厅")
    make_robot(robot_server, "feishu", meeting)
    with transaction.atomic():
        services.enqueue(
            event="meeting.changed",
            meeting=meeting,
            context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
        )
    Worker().run_once()
    (request,) = robot_server.requests
    assert request["ok"], request
    body = request["body"]
    assert body["msg_type"] == "post"
    key, lines, elements = post_texts(body)
    assert key == "zh_cn"
    assert lines[0] == "已变更：党委会（第5次）"
    assert "会议：党委会（第5次）" in lines
    assert "地点：信息中心二楼报告厅" in lines
    (time_line,) = [line for line in lines if line.startswith("时间：")]
    assert time_line.endswith("（北京时间）")
    assert f"/meetings/{meeting.pk}/" in next(e["href"] for e in elements if e["tag"] == "a")
    raw = json.dumps(body, ensure_ascii=False)
    assert "CST" not in raw and ": " not in "".join(lines)


def test_feishu_digest_is_bold_titles_not_asterisks(robot_server, make_meeting):
    meeting = make_meeting(title="周例会")
    make_robot(robot_server, "feishu", meeting)
    changed(meeting, n=3)
    Worker().run_once()
    (request,) = robot_server.requests
    assert request["ok"], request
    _key, lines, elements = post_texts(request["body"])
    assert lines[0] == "3 条通知"
    assert "**" not in json.dumps(request["body"], ensure_ascii=False)
    bold = [e["text"] for e in elements if e.get("style") == ["bold"]]
    assert bold == ["已变更：周例会"] * 3


def test_dingtalk_markdown_in_chinese_names_beijing_time(robot_server, make_meeting):
    meeting = make_meeting(title="周例会", location="三楼会议室")
    make_robot(robot_server, "dingtalk", meeting)
    changed(meeting)
    Worker().run_once()
    (request,) = robot_server.requests
    text = request["body"]["markdown"]["text"]
    assert "会议：周例会" in text and "地点：三楼会议室" in text
    assert "（北京时间）" in text and "(CST)" not in text


def test_english_robot_and_other_zones(robot_server, make_meeting, settings):
    settings.LANGUAGE_CODE = "en"
    settings.TIME_ZONE = "Europe/Berlin"
    meeting = make_meeting(title="Weekly")
    make_robot(robot_server, "feishu", meeting)
    changed(meeting)
    Worker().run_once()
    (request,) = robot_server.requests
    key, lines, _elements = post_texts(request["body"])
    assert key == "en_us"
    (time_line,) = [line for line in lines if line.startswith("Time: ")]
    # Not China's zone: its own abbreviation, not "Beijing time".
    assert time_line.endswith(("(CET)", "(CEST)"))
