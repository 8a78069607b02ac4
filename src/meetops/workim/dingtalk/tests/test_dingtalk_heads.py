"""DingTalk's `leader_in_dept` makes department heads (P8.8, ADR 0022)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.servers.dingtalk_standin import StandIn

from meetops.people.models import DepartmentHead
from meetops.workim.dingtalk.directory import map_person

pytestmark = pytest.mark.django_db


def test_leader_in_dept_maps_to_the_departments_led() -> None:
    raw = {
        "userid": "a",
        "dept_id_list": [10, 21],
        "leader_in_dept": [{"dept_id": 10, "leader": True}, {"dept_id": 21, "leader": False}],
    }
    assert map_person(raw).head_of == ("10",)
    assert map_person({"userid": "b", "dept_id_list": [10]}).head_of is None


def test_sync_reads_the_heads_and_follows_a_change(dingtalk: StandIn, meetops_cli: Any) -> None:
    code, _out, err = meetops_cli("directory", "sync", "dingtalk")
    assert code == 0, err
    pairs = set(DepartmentHead.objects.values_list("department__name", "user__username"))
    assert pairs == {("党委办公室", "zhangsan")}

    dingtalk.add_user("sunqi", "孙七", [21], leader_in=(21,))
    dingtalk.add_user("zhangsan", "张三", [10, 21], mobile="13800000001", email="zs@example.cn")
    code, _out, err = meetops_cli("directory", "sync", "dingtalk")
    assert code == 0, err
    pairs = set(DepartmentHead.objects.values_list("department__name", "user__username"))
    assert pairs == {("预算科", "sunqi")}
