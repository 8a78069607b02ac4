"""`meetops directory sync wecom` against the stand-in: the tree, the people, paging, and
a second run that changes nothing."""

from __future__ import annotations

from typing import Any

from tests.servers.wecom_standin import WeComStandIn

from meetops.identity.models import ExternalDepartment, ExternalIdentity, Membership
from meetops.people.models import User


def test_sync_builds_the_tree_and_the_people_across_pages(
    wecom: WeComStandIn, meetops_cli: Any, db: None
) -> None:
    code, out, err = meetops_cli("directory", "sync", "wecom")
    assert code == 0, err
    assert out.strip() == "departments: +4 ~0 -0; people: +3 ~0 deactivated 0; conflicts 0"
    depts = {
        link.external_id: link.department
        for link in ExternalDepartment.objects.select_related("department__parent")
    }
    assert depts["1"].parent is None and depts["1"].name == "示范大学"
    assert depts["4"].parent == depts["3"] and depts["3"].parent == depts["1"]
    # A larger WeCom order sorts first: 党委办公室 (300) before 计算机学院 (200).
    assert depts["2"].order < depts["3"].order
    zhangsan = User.objects.get(
        external_identities__provider="wecom", external_identities__external_id="zhangsan"
    )
    assert zhangsan.phone == "13800000001" and zhangsan.email == "zs@example.edu.cn"
    assert zhangsan.department == depts["3"]  # main_department
    assert set(
        Membership.objects.filter(user=zhangsan).values_list("department__name", "is_main")
    ) == {("党委办公室", False), ("计算机学院", True)}
    # Five user×department rows at two a page: user/list_id was read page by page.
    assert len(wecom.calls("cgi-bin/user/list_id")) == 3
    assert ExternalIdentity.objects.filter(provider="wecom").count() == 3

    code, out, err = meetops_cli("directory", "sync", "wecom")
    assert out.strip() == "departments: +0 ~0 -0; people: +0 ~0 deactivated 0; conflicts 0"
