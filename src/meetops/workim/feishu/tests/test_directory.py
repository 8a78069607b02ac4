"""`meetops directory sync feishu` against the stand-in, through identity's sync engine."""

from __future__ import annotations

import pytest

from meetops.identity.models import ExternalIdentity, Membership
from meetops.people.models import Department, User

pytestmark = pytest.mark.django_db


def test_sync_builds_the_tree_and_the_people_and_a_second_run_changes_nothing(feishu, meetops_cli):
    code, out, err = meetops_cli("directory", "sync", "feishu")
    assert code == 0, err
    assert out.strip() == "departments: +3 ~0 -0; people: +6 ~0 deactivated 0; conflicts 0"
    exam = Department.objects.get(name="考试中心")
    assert exam.parent == Department.objects.get(name="教务处")
    secretary = User.objects.get(username="u-sec")
    assert secretary.display_name == "李秘书"
    assert secretary.department == Department.objects.get(name="教务处")
    assert Membership.objects.filter(user=secretary).count() == 2
    assert User.objects.get(username="u-leader").email == "wang@example.edu.cn"
    assert set(
        ExternalIdentity.objects.filter(provider="feishu").values_list("external_id", flat=True)
    ) == {"u-leader", "u-sec", "u-t1", "u-t2", "u-t3", "u-exam"}
    # 教务处 has four direct members at two a page: the stand-in was asked for a second page.
    pages = [
        c.query.get("page_token", "")
        for c in feishu.calls
        if c.path == "contact/v3/users/find_by_department"
        and c.query["department_id"] == "od-teach"
    ]
    assert pages == ["", "2"]

    code, out, _err = meetops_cli("directory", "sync", "feishu")
    assert out.strip() == "departments: +0 ~0 -0; people: +0 ~0 deactivated 0; conflicts 0"


def test_someone_who_left_is_switched_off_and_missing_permissions_leave_fields_empty(
    feishu, meetops_cli
):
    feishu.scopes = {"user_id"}  # no mobile, no e-mail permission
    meetops_cli("directory", "sync", "feishu")
    assert User.objects.get(username="u-leader").email == ""
    feishu.users = [u for u in feishu.users if u["user_id"] != "u-t2"]
    _code, out, _err = meetops_cli("directory", "sync", "feishu")
    assert out.strip() == "departments: +0 ~0 -0; people: +0 ~0 deactivated 1; conflicts 0"
    assert not User.objects.get(username="u-t2").is_active
