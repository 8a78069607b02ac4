"""Issue 11's "done when", end to end against slapd: `meetops directory sync ldap` builds the
tree and the people, a person signs in with their directory password, and after they are
removed from the directory the next sync deactivates them (session and token stop working)
while everything they did stays."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from meetops.core.models import AuditEntry
from meetops.identity.models import ExternalIdentity, Membership
from meetops.identity.tests import slapd
from meetops.people.models import Department, User
from meetops.people.services import create_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(ldap_root: Any) -> Iterator[str]:
    """周八, who will leave; put back afterwards for the other tests."""
    dn = slapd.person_dn("zhouba")
    entry = next(p for p in slapd.PEOPLE if p[0] == "zhouba")
    yield dn
    if not ldap_root.search(dn, "(objectClass=*)", search_scope="BASE"):
        uid, cn, _unit, title, mobile, _extra = entry
        ldap_root.add(
            dn,
            ["inetOrgPerson"],
            {
                "uid": uid,
                "cn": cn,
                "sn": cn[0],
                "displayName": cn,
                "mail": f"{uid}@example.edu.cn",
                "mobile": mobile,
                "title": title,
                "userPassword": slapd.PASSWORD,
            },
        )


def test_sync_sign_in_leave_and_sync_again(
    ldap_settings: Any,
    meetops_cli: Any,
    client: Any,
    leaver: str,
    ldap_root: Any,
    make_meeting: Any,
) -> None:
    code, out, err = meetops_cli("directory", "sync", "ldap", "--dry-run")
    assert code == 0, err
    assert out.strip() == "departments: +6 ~0 -0; people: +10 ~0 deactivated 0; conflicts 0"
    assert not User.objects.filter(username="zhouba").exists()

    code, out, err = meetops_cli("directory", "sync", "ldap")
    assert out.strip() == "departments: +6 ~0 -0; people: +10 ~0 deactivated 0; conflicts 0"
    network = Department.objects.get(name="网络科")
    assert network.parent == Department.objects.get(name="信息中心")
    zhouba = User.objects.get(username="zhouba")
    assert (zhouba.display_name, zhouba.department) == ("周八", network)
    assert User.objects.get(username="wangwu").role_codes == {"admin"}
    lisi = User.objects.get(username="lisi")
    assert Membership.objects.filter(user=lisi).count() == 2

    code, out, _err = meetops_cli("directory", "sync", "ldap")
    assert out.strip() == "departments: +0 ~0 -0; people: +0 ~0 deactivated 0; conflicts 0"

    assert (
        client.post("/login/", {"username": "zhouba", "password": slapd.PASSWORD}).status_code
        == 302
    )
    assert client.get("/").status_code == 200
    _token, raw = create_api_token(zhouba, actor=None)
    from meetops.minutes.models import ActionItem

    ActionItem.objects.create(meeting=make_meeting(), title="交换机巡检", owner=zhouba)

    ldap_root.delete(leaver)
    code, out, _err = meetops_cli("directory", "sync", "ldap")
    assert out.strip() == "departments: +0 ~0 -0; people: +0 ~0 deactivated 1; conflicts 0"

    zhouba.refresh_from_db()
    assert not zhouba.is_active
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert (
        client.post("/login/", {"username": "zhouba", "password": slapd.PASSWORD}).status_code
        == 200
    )
    # Everything they did is still theirs.
    assert ActionItem.objects.get(title="交换机巡检").owner == zhouba
    assert AuditEntry.objects.filter(
        object_id=str(zhouba.pk), action="identity.person.deactivated"
    ).exists()
    assert ExternalIdentity.objects.get(user=zhouba).left_at is not None


def test_only_the_selected_subtree(ldap_settings: Any, meetops_cli: Any) -> None:
    from meetops.identity.providers import get_provider

    it = next(d for d in get_provider("ldap").list_departments() if d.name == "信息中心")
    code, out, err = meetops_cli("directory", "sync", "ldap", "--department", it.external_id)
    assert code == 0, err
    # 信息中心 and 网络科; 赵六, 孙七, 周八 and 李四 (whose second unit it is).
    assert out.strip() == "departments: +2 ~0 -0; people: +4 ~0 deactivated 0; conflicts 0"


def test_an_unknown_provider_is_an_error(meetops_cli: Any) -> None:
    code, _out, err = meetops_cli("directory", "sync", "nowhere")
    assert code != 0
    assert "nowhere" in err
