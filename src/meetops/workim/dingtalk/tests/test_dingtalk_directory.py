"""`meetops directory sync dingtalk` against the stand-in: the tree, the people across pages,
several departments with a main one, and a second run that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from tests.servers.dingtalk_standin import StandIn

from meetops.identity.models import ExternalDepartment, ExternalIdentity, Membership, SyncRun
from meetops.people.models import Department, User

pytestmark = pytest.mark.django_db


def dept(external_id: str) -> Department:
    return ExternalDepartment.objects.get(provider="dingtalk", external_id=external_id).department


def test_sync_builds_the_tree_and_the_people_and_a_second_run_changes_nothing(
    dingtalk: StandIn, meetops_cli: Any
) -> None:
    dingtalk.page_cap = 2  # 预算科's four people come in two pages
    code, out, err = meetops_cli("directory", "sync", "dingtalk")
    assert code == 0, err
    assert out.strip() == "departments: +4 ~0 -0; people: +5 ~0 deactivated 0; conflicts 0"
    root = dept("1")
    assert root.name == "示例集团" and root.parent is None
    assert [d.name for d in Department.objects.filter(parent=root).order_by("order")] == [
        "财务处",
        "党委办公室",
    ]
    assert dept("21").parent == dept("20")

    zhangsan = User.objects.get(
        external_identities__provider="dingtalk", external_identities__external_id="zhangsan"
    )
    assert (zhangsan.display_name, zhangsan.phone, zhangsan.email, zhangsan.title) == (
        "张三",
        "13800000001",
        "zs@example.cn",
        "主任",
    )
    # Two departments; the first DingTalk lists is the main one.
    assert zhangsan.department == dept("10")
    memberships = Membership.objects.filter(user=zhangsan).order_by("-is_main", "order")
    assert [(m.department.name, m.is_main) for m in memberships] == [
        ("党委办公室", True),
        ("预算科", False),
    ]
    assert ExternalIdentity.objects.filter(provider="dingtalk").count() == 5

    code, out, err = meetops_cli("directory", "sync", "dingtalk")
    assert code == 0, err
    assert out.strip() == "departments: +0 ~0 -0; people: +0 ~0 deactivated 0; conflicts 0"


def test_a_person_gone_from_dingtalk_is_deactivated_by_the_next_sync(
    dingtalk: StandIn, meetops_cli: Any
) -> None:
    meetops_cli("directory", "sync", "dingtalk")
    del dingtalk.users["sunqi"]
    _code, out, _err = meetops_cli("directory", "sync", "dingtalk")
    assert "deactivated 1" in out
    assert not User.objects.get(external_identities__external_id="sunqi").is_active


def test_throttling_during_a_sync_is_waited_out(dingtalk: StandIn, meetops_cli: Any) -> None:
    dingtalk.throttle("topapi/v2/user/list", times=1)
    code, out, err = meetops_cli("directory", "sync", "dingtalk")
    assert code == 0, err
    assert "people: +5" in out
    assert SyncRun.objects.get().status == SyncRun.Status.SUCCEEDED


def test_without_the_contact_permission_the_report_says_so(
    dingtalk: StandIn, meetops_cli: Any
) -> None:
    dingtalk.grant_contact_fields = False
    code, out, err = meetops_cli("directory", "sync", "dingtalk")
    assert code == 0, err
    assert (
        not User.objects.exclude(phone="").filter(external_identities__provider="dingtalk").exists()
    )
    notes = SyncRun.objects.get().report["notes"]
    assert len(notes) == 1
    assert "通讯录个人信息读权限" in notes[0]["message"]
    assert "通讯录个人信息读权限" in err
    assert "people: +5" in out
