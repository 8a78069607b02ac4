"""Department heads from LDAP's `manager` attribute (P8.8, ADR 0022), against slapd: the top
of each department's reporting line heads it, a head set by an administrator stays, and a
directory head the directory stops naming is removed by the next sync."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from meetops.identity.ldap import heads_by_manager
from meetops.identity.providers import PersonAttributes
from meetops.identity.tests import slapd
from meetops.people.models import Department, DepartmentHead, User
from meetops.people.services import set_department_heads

pytestmark = pytest.mark.django_db

MANAGERS = {"qianyi": "zhangsan", "zhangsan": "wangwu", "zhouba": "sunqi", "sunqi": "zhaoliu"}


@pytest.fixture
def managers(ldap_root: Any) -> Iterator[None]:
    import ldap3

    for uid, boss in MANAGERS.items():
        ldap_root.modify(
            slapd.person_dn(uid), {"manager": [(ldap3.MODIFY_REPLACE, [slapd.person_dn(boss)])]}
        )
    yield
    for uid in MANAGERS:
        ldap_root.modify(slapd.person_dn(uid), {"manager": [(ldap3.MODIFY_REPLACE, [])]})


def heads() -> set[tuple[str, str, str]]:
    return set(DepartmentHead.objects.values_list("department__name", "user__username", "source"))


def test_the_top_of_each_reporting_line_heads_its_department(
    ldap_settings: Any, meetops_cli: Any, managers: None, ldap_root: Any
) -> None:
    import ldap3

    code, _out, err = meetops_cli("directory", "sync", "ldap")
    assert code == 0, err
    # 钱一 reports to 张三 (教务处), whose own manager 王五 sits elsewhere: 张三 heads 教务处.
    # 周八 reports to 孙七 in 网络科, who reports to 赵六 in 信息中心: 孙七 heads 网络科.
    assert heads() == {("教务处", "zhangsan", "ldap"), ("网络科", "sunqi", "ldap")}

    admin = User.objects.create(username="root-admin", is_superuser=True)
    office = Department.objects.get(name="后勤处")
    set_department_heads(office, heads=[User.objects.get(username="wujiu")], actor=admin)

    ldap_root.modify(slapd.person_dn("qianyi"), {"manager": [(ldap3.MODIFY_REPLACE, [])]})
    code, _out, err = meetops_cli("directory", "sync", "ldap")
    assert code == 0, err
    assert heads() == {("网络科", "sunqi", "ldap"), ("后勤处", "wujiu", "")}


def person(uid: str, department: str) -> PersonAttributes:
    return PersonAttributes(external_id=uid, username=uid, department_ids=(department,))


def test_a_team_lead_inside_a_department_does_not_head_it() -> None:
    listed = [
        ({"dn": "uid=head,ou=a", "manager": ["uid=boss,ou=top"]}, person("head", "a")),
        ({"dn": "uid=lead,ou=a", "manager": ["uid=head,ou=a"]}, person("lead", "a")),
        ({"dn": "uid=doer,ou=a", "manager": ["uid=lead,ou=a"]}, person("doer", "a")),
        ({"dn": "uid=boss,ou=top", "manager": []}, person("boss", "top")),
    ]
    found = {p.username: p.head_of for p in heads_by_manager(listed, "manager")}
    assert found == {"head": ("a",), "lead": (), "doer": (), "boss": ()}
