"""The door list 按姓名: pinyin order with surname readings, or 姓氏笔画 on request."""

from __future__ import annotations

import re

import pytest

from meetops.seating import services

NAMES = ["周平", "张伟", "吴敏", "刘洋", "何明", "曾强", "单田"]


@pytest.fixture
def door(seated_meeting, small_plan, organiser):
    meeting = seated_meeting([(n, "participant", "办公室") for n in NAMES])
    plan = small_plan(meeting, rostrum=0, rows=2, columns=5)
    services.auto_assign(plan, actor=organiser)
    return meeting


def _order(body):
    return [n for n in re.findall(r"<tr><td>([^<]+)</td>", body) if n in NAMES]


@pytest.mark.django_db
def test_door_list_is_in_pinyin_order(client, door, organiser):
    client.force_login(organiser)
    body = client.get(f"/meetings/{door.pk}/seating/door/").content.decode()
    # he liu shan wu zeng zhang zhou: 单 read shan and 曾 zeng as surnames (code points: 何 刘 …)
    assert _order(body) == ["何明", "刘洋", "单田", "吴敏", "曾强", "张伟", "周平"]


@pytest.mark.django_db
def test_door_list_by_surname_strokes(client, door, organiser):
    client.force_login(organiser)
    body = client.get(f"/meetings/{door.pk}/seating/door/", {"ordering": "strokes"}).content
    # 刘 6; 吴 何 张 7 (吴 丨, 何 丿, 张 乛 first); 单 周 8 (单 丶… after 周 丿); 曾 12
    assert _order(body.decode()) == ["刘洋", "吴敏", "何明", "张伟", "周平", "单田", "曾强"]
    assert f'href="/meetings/{door.pk}/seating/door.pdf?ordering=strokes"' in body.decode()
