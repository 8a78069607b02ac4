"""WeCom's `is_leader_in_dept` makes department heads (P8.8, ADR 0022); a later sync that no
longer flags someone takes their headship away, and one set by an administrator stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.servers.wecom_standin import WeComStandIn, member

from meetops.people.models import Department, DepartmentHead, User
from meetops.people.services import set_department_heads
from meetops.workim.wecom.platform import person_from

pytestmark = pytest.mark.django_db


def heads() -> set[tuple[str, str, str]]:
    return set(DepartmentHead.objects.values_list("department__name", "user__username", "source"))


def test_is_leader_in_dept_heads_the_flagged_departments_only() -> None:
    raw = member("zhangsan", "张三", [2, 3], leader_in=(3,))
    assert person_from(raw).head_of == ("3",)
    assert person_from(member("lisi", "李四", [3])).head_of is None


def test_sync_makes_and_unmakes_heads(wecom: WeComStandIn, wecom_sync: Callable[[], Any]) -> None:
    wecom.add(member("lisi", "李四", [3], leader_in=(3,)))
    wecom.add(member("wangwu", "王五", [4, 2], main=4, leader_in=(2, 4)))
    run = wecom_sync()
    assert run.status == "succeeded", run.error
    assert heads() == {
        ("计算机学院", "lisi", "wecom"),
        ("党委办公室", "wangwu", "wecom"),
        ("软件工程系", "wangwu", "wecom"),
    }
    admin = User.objects.create(username="root-admin", is_superuser=True)
    college = Department.objects.get(name="计算机学院")
    zhangsan = User.objects.get(username="zhangsan")
    set_department_heads(college, heads=[User.objects.get(username="lisi"), zhangsan], actor=admin)

    wecom.add(member("wangwu", "王五", [4, 2], main=4, leader_in=(4,)))
    run = wecom_sync()
    assert run.status == "succeeded", run.error
    assert heads() == {
        ("计算机学院", "lisi", "wecom"),
        ("计算机学院", "zhangsan", ""),
        ("软件工程系", "wangwu", "wecom"),
    }
