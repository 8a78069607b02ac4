"""Separation of duties (MEETOPS_SEPARATION_OF_DUTIES=1): system, security and audit
administrators, one role per account, none of them into business data by that role."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from meetops.core.errors import DomainError
from meetops.core.selectors import audit_entries_for
from meetops.people import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def sod(settings: Any) -> Any:
    settings.MEETOPS_SEPARATION_OF_DUTIES = True
    return settings


@pytest.fixture
def admins(make_user: Any, sod: Any) -> dict[str, Any]:
    return {
        "system": make_user("sys", roles=("admin",)),
        "security": make_user("sec", roles=("security_admin",)),
        "audit": make_user("aud", roles=("audit_admin",)),
    }


def test_two_administrator_roles_on_one_account_are_refused_naming_both(admins, member):
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        services.set_roles(member, roles=["admin", "audit_admin"], actor=admins["security"])
    assert refused.value.code == "duties_conflict"
    assert "职责分离" in str(refused.value.message)
    assert "系统管理员" in str(refused.value.message)
    assert "审计管理员" in str(refused.value.message)
    with pytest.raises(DomainError):
        services.create_user(username="both", roles=["security_admin", "admin"], actor=None)


def test_without_separation_one_account_may_hold_them_all(member, admin_user):
    services.set_roles(member, roles=["admin", "audit_admin"], actor=admin_user)
    assert member.held_role_codes == {"admin", "audit_admin"}


def test_roles_are_the_security_administrators_and_never_ones_own(admins, member):
    with pytest.raises(DomainError) as refused:
        services.set_roles(member, roles=["organiser"], actor=admins["system"])
    assert refused.value.code == "forbidden"
    services.set_roles(member, roles=["organiser"], actor=admins["security"])
    with pytest.raises(DomainError) as own:
        services.set_roles(
            admins["security"], roles=["security_admin", "leader"], actor=admins["security"]
        )
    assert own.value.code == "duties_own_roles"
    # Accounts stay the system administrator's, but not with administrator roles.
    services.create_user(username="new.one", roles=["member"], actor=admins["system"])
    with pytest.raises(DomainError) as grant:
        services.create_user(username="new.two", roles=["audit_admin"], actor=admins["system"])
    assert grant.value.code == "duties_grant"


def test_no_administrator_sees_a_meeting_by_that_role(admins, make_meeting, client):
    meeting = make_meeting(confidentiality="confidential", title="机密-SoD")
    for user in admins.values():
        assert not user.is_admin
        client.force_login(user)
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
        assert "机密-SoD" not in client.get("/meetings/").content.decode()


def test_the_superuser_flag_opens_no_business_table_in_djangos_admin(admins, client):
    system = admins["system"]
    assert system.is_superuser
    client.force_login(system)
    assert client.get("/admin/people/user/").status_code == 200
    assert client.get("/admin/meetings/meetingkind/").status_code == 200
    for business in ("meetings/meeting", "minutes/minutes", "budget/budget", "core/auditentry"):
        assert client.get(f"/admin/{business}/").status_code == 403, business
    client.force_login(admins["audit"])
    assert client.get("/admin/").status_code == 302  # not staff: Django's admin sends away


def test_the_audit_administrator_reads_the_whole_log_the_others_do_not(admins, make_meeting):
    meeting = make_meeting(confidentiality="confidential")
    entries = audit_entries_for(admins["audit"])
    assert entries.filter(object_type="meeting", object_id=str(meeting.pk)).exists()
    for name in ("system", "security"):
        assert not audit_entries_for(admins[name]).filter(object_type="meeting").exists()


def test_the_menu_shows_each_administrator_their_own_pages(admins, client):
    client.force_login(admins["system"])
    page = client.get("/").content.decode()
    assert 'href="/admin/"' in page and 'href="/security/"' not in page
    client.force_login(admins["security"])
    page = client.get("/").content.decode()
    assert 'href="/security/"' in page and 'href="/admin/"' not in page
    assert client.get("/security/").status_code == 200


def test_the_system_check_names_accounts_that_break_it(make_user, settings):
    both = make_user("both", roles=("admin", "security_admin"))
    assert both.pk
    call_command("check", databases=["default"])  # off: nothing to say
    settings.MEETOPS_SEPARATION_OF_DUTIES = True
    with pytest.raises(SystemCheckError):
        call_command("check", databases=["default"], fail_level="WARNING")
    from meetops.people.checks import check_separation_of_duties

    [warning] = check_separation_of_duties(databases=["default"])
    assert warning.id == "meetops.W021" and "both" in warning.msg


def test_the_api_still_names_the_role_an_administrator_holds(admins, client):
    client.force_login(admins["audit"])
    assert client.get("/api/v1/me").json()["roles"] == ["audit_admin"]
