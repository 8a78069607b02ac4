"""LDAP / Active Directory (issue 11, item 2): sign-in on /login/ against a real slapd, paged
listings, departments from organisational units, and the AD mapping on attribute dicts."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from meetops.core.errors import DomainError
from meetops.identity.ldap import LdapConfig, LdapProvider, normal_dn, parse_group_roles
from meetops.identity.models import ExternalIdentity
from meetops.identity.providers import get_provider, providers
from meetops.identity.tests import slapd
from meetops.people.models import User


def ad_provider(**overrides: Any) -> LdapProvider:
    conf = {"url": "ldap://ad.example", "flavour": "ad", **overrides}
    return LdapProvider("ldap", settings_=LdapConfig(**conf))


# --- mapping (no server) -------------------------------------------------------------------


def test_active_directory_entries_map_to_people() -> None:
    guid = uuid.uuid4()
    provider = ad_provider(
        group_roles=parse_group_roles("CN=MeetOps Admins,OU=Groups,DC=corp,DC=cn=admin")
    )
    person = provider.map_attributes(
        {
            "dn": "CN=张三,OU=教务处,DC=corp,DC=cn",
            "objectGUID": [str(guid)],
            "sAMAccountName": ["zhangsan"],
            "userPrincipalName": ["zhangsan@corp.cn"],
            "displayName": ["张三"],
            "mail": ["zhangsan@corp.cn"],
            "mobile": ["13800000001"],
            "title": ["处长"],
            "userAccountControl": ["512"],
            "memberOf": ["cn=meetops admins,ou=groups,dc=corp,dc=cn", "CN=Other,DC=corp,DC=cn"],
        }
    )
    assert (person.external_id, person.username, person.display_name) == (
        str(guid),
        "zhangsan",
        "张三",
    )
    assert (person.email, person.mobile, person.title, person.active) == (
        "zhangsan@corp.cn",
        "13800000001",
        "处长",
        True,
    )
    assert person.roles == frozenset({"admin"})
    assert provider.managed_roles == frozenset({"admin"})


@pytest.mark.parametrize(("control", "active"), [("512", True), ("514", False), ("66050", False)])
def test_the_ad_disabled_bit_switches_a_person_off(control: str, active: bool) -> None:
    person = ad_provider().map_attributes(
        {"dn": "CN=x,DC=corp", "sAMAccountName": ["x"], "userAccountControl": [control]}
    )
    assert person.active is active


def test_ad_defaults_search_by_account_name_or_principal_name() -> None:
    conf = ad_provider().conf
    assert "sAMAccountName=%(user)s" in conf.attr("user_filter")
    assert "userPrincipalName=%(user)s" in conf.attr("user_filter")
    assert conf.attr("id") == "objectGUID"
    assert LdapConfig(url="ldap://x").attr("user_filter") == "(uid=%(user)s)"


def test_attribute_names_can_be_replaced() -> None:
    provider = ad_provider(attributes={"mobile": "telephoneNumber"})
    person = provider.map_attributes(
        {"dn": "CN=x,DC=corp", "sAMAccountName": ["x"], "telephoneNumber": ["010-1234"]}
    )
    assert person.mobile == "010-1234"


def test_dns_compare_without_case_or_spaces() -> None:
    assert normal_dn("CN=A B, OU=X,DC=corp") == normal_dn("cn=a b,ou=x,dc=corp")


@pytest.mark.django_db  # finding providers reads settings admins saved (work IM)
def test_no_url_means_no_ldap_provider(settings: Any) -> None:
    settings.MEETOPS_LDAP_URL = ""
    assert "ldap" not in providers()


# --- against slapd ---------------------------------------------------------------------------


@pytest.mark.django_db  # finding providers reads settings admins saved (work IM)
def test_departments_are_the_organisational_units(ldap_settings: Any) -> None:
    units = list(get_provider("ldap").list_departments())
    by_name = {u.name: u for u in units}
    assert set(by_name) == {"校长办公室", "教务处", "教学质量科", "信息中心", "网络科", "后勤处"}
    assert by_name["教学质量科"].parent_id == by_name["教务处"].external_id
    assert by_name["教务处"].parent_id == ""
    # Stable ids (entryUUID), so a renamed or moved unit stays the same department.
    assert uuid.UUID(by_name["网络科"].external_id)


@pytest.mark.django_db  # finding providers reads settings admins saved (work IM)
def test_people_come_back_whole_through_paged_searches(
    ldap_settings: Any, slapd_server: Any
) -> None:
    import ldap3

    # The service account's plain searches stop at the size limit ...
    conn = ldap3.Connection(
        ldap3.Server(slapd_server.url, get_info=ldap3.NONE),
        user=slapd.READER_DN,
        password=slapd.READER_PW,
        auto_bind=True,
    )
    conn.search(slapd.DEPARTMENTS, "(objectClass=inetOrgPerson)", attributes=["uid"])
    assert len(conn.entries) == slapd.SIZE_LIMIT
    conn.unbind()
    # ... pages of 3 (ldap_settings) bring everyone.
    people = list(get_provider("ldap").list_people())
    assert len(people) == len(slapd.PEOPLE) > slapd.SIZE_LIMIT
    lisi = next(p for p in people if p.username == "lisi")
    units = {u.external_id: u.name for u in get_provider("ldap").list_departments()}
    assert [units[d] for d in lisi.department_ids] == ["教学质量科", "信息中心"]
    assert units[lisi.main_department] == "教学质量科"
    assert (lisi.display_name, lisi.email, lisi.mobile, lisi.title) == (
        "李四",
        "lisi@example.edu.cn",
        "13800000002",
        "科长",
    )


@pytest.mark.django_db
def test_a_person_signs_in_on_the_login_page_with_their_directory_password(
    ldap_settings: Any, client: Any
) -> None:
    response = client.post("/login/", {"username": "zhangsan", "password": slapd.PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.display_name, user.email, user.title) == (
        "张三",
        "zhangsan@example.edu.cn",
        "处长",
    )
    assert user.department is not None and user.department.name == "教务处"
    assert user.role_codes == {"member"}
    assert ExternalIdentity.objects.get(user=user).provider == "ldap"
    # The dashboard answers the signed-in person.
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_directory_group_grants_a_global_role(ldap_settings: Any, client: Any) -> None:
    client.post("/login/", {"username": "wangwu", "password": slapd.PASSWORD})
    assert User.objects.get(username="wangwu").role_codes == {"admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["wrong", ""])
def test_a_wrong_or_empty_password_signs_nobody_in(
    ldap_settings: Any, client: Any, password: str
) -> None:
    response = client.post("/login/", {"username": "zhangsan", "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="zhangsan").exists()


@pytest.mark.django_db
def test_filter_characters_in_a_username_are_escaped(ldap_settings: Any) -> None:
    # Unescaped, "zhang*" would find zhangsan and sign in with his password.
    provider = get_provider("ldap")
    assert provider.authenticate(None, username="zhang*", password=slapd.PASSWORD) is None
    assert provider.authenticate(None, username="zhangsan", password=slapd.PASSWORD) is not None


@pytest.mark.django_db
def test_an_unreachable_directory_is_said_so_and_local_accounts_still_work(
    settings: Any, client: Any, make_user: Any
) -> None:
    settings.MEETOPS_LDAP_URL = f"ldap://127.0.0.1:{slapd.free_port()}"
    settings.MEETOPS_LDAP_TIMEOUT = 2
    with pytest.raises(DomainError) as caught:
        get_provider("ldap").authenticate(None, username="zhangsan", password="x")
    assert caught.value.code == "ldap_unavailable"
    response = client.post("/login/", {"username": "zhangsan", "password": "x"})
    assert response.status_code == 200
    make_user("local", password="local-pw-123")
    assert (
        client.post("/login/", {"username": "local", "password": "local-pw-123"}).status_code == 302
    )


# --- why a sign-in was refused, on the login page -------------------------------------------


@pytest.mark.django_db
def test_a_conflicting_match_is_explained_on_the_login_page(
    ldap_settings: Any, client: Any, make_user: Any
) -> None:
    make_user("zs-a", email="zhangsan@example.edu.cn")
    make_user("zs-b", email="zhangsan@example.edu.cn")
    response = client.post(
        "/login/",
        {"username": "zhangsan", "password": slapd.PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "与多个 MeetOps 账号匹配" in page
    assert "zs-a" not in page and "zs-b" not in page  # other people's accounts stay unnamed


@pytest.mark.django_db
def test_a_deactivated_account_is_told_so_on_the_login_page(
    ldap_settings: Any, client: Any
) -> None:
    client.post("/login/", {"username": "zhangsan", "password": slapd.PASSWORD})
    User.objects.filter(username="zhangsan").update(is_active=False)
    client.logout()
    response = client.post(
        "/login/",
        {"username": "zhangsan", "password": slapd.PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "_auth_user_id" not in client.session
    assert "该账号已停用。" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_still_gets_the_generic_message(ldap_settings: Any, client: Any) -> None:
    response = client.post(
        "/login/", {"username": "zhangsan", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_without_accounts_on_first_sign_in_the_person_is_told_to_ask(
    ldap_settings: Any, client: Any
) -> None:
    ldap_settings.MEETOPS_IDENTITY_CREATE_ON_LOGIN = False
    response = client.post(
        "/login/",
        {"username": "zhangsan", "password": slapd.PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "There is no MeetOps account for you yet." in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()
