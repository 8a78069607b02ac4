"""Sign-in events in the audit log, and MEETOPS_LOCAL_LOGIN=0 (issue 11, items 1 and 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.backends import ModelBackend

from meetops.core.models import AuditEntry
from meetops.people.signin import record_sign_in

pytestmark = pytest.mark.django_db

WRONG = {"username": "member", "password": "not-the-password"}
RIGHT = {"username": "member", "password": "pw-test-123"}


def _events(prefix: str = "people.sign_in.") -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("pk"))


class DirectoryBackend(ModelBackend):
    """Stands in for the LDAP helper's backend: it names its provider, nothing else."""

    meetops_provider = "ldap"


def test_a_password_sign_in_is_audited_with_name_provider_and_address(client, member):
    client.post("/login/", RIGHT, REMOTE_ADDR="10.1.2.3")
    [entry] = _events()
    assert entry.action == "people.sign_in.success"
    assert entry.actor_id == member.pk and entry.stream == f"user:{member.pk}"
    assert entry.data == {"username": "member", "provider": "local"}
    assert entry.ip_address == "10.1.2.3" and entry.source == "ui"


def test_a_wrong_password_is_audited_on_the_account_and_an_unknown_name_on_user_0(client, member):
    client.post("/login/", WRONG)
    client.post("/login/", {"username": "nobody-here", "password": "x"})
    first, second = _events()
    assert (first.action, first.stream, first.actor_id) == (
        "people.sign_in.failure",
        f"user:{member.pk}",
        None,
    )
    assert second.stream == "user:0" and second.data["username"] == "nobody-here"


def test_the_attempt_that_locks_out_and_those_after_it_are_lockouts(client, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", WRONG)
    client.post("/login/", RIGHT)
    actions = [e.action for e in _events()]
    limit = settings.AXES_FAILURE_LIMIT
    assert actions == ["people.sign_in.failure"] * (limit - 1) + ["people.sign_in.locked_out"] * 2


def test_another_backend_names_its_provider_without_calling_anything(client, member, settings):
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        f"{__name__}.DirectoryBackend",
    ]
    client.post("/login/", RIGHT)
    assert _events()[0].data["provider"] == "ldap"


def test_record_sign_in_is_the_hook_for_providers_outside_authenticate(member):
    record_sign_in(user=None, username="zhang.san", provider="oidc", outcome="failure")
    [entry] = _events()
    assert entry.data == {"username": "zhang.san", "provider": "oidc"}
    with pytest.raises(ValueError):
        record_sign_in(user=member, username="member", provider="cas", outcome="maybe")


# MEETOPS_LOCAL_LOGIN=0: passwords for administrators only


@pytest.fixture
def sso_only(settings: Any) -> Any:
    settings.MEETOPS_LOCAL_LOGIN = False
    return settings


def test_the_password_form_is_hidden_and_a_discreet_link_leads_to_it(client, sso_only):
    page = client.get("/login/").content.decode()
    assert 'name="password"' not in page and "?local=1" in page
    assert 'name="password"' in client.get("/login/?local=1").content.decode()


def test_with_local_login_on_the_form_is_there_for_everyone(client):
    page = client.get("/login/").content.decode()
    assert 'name="password"' in page and "?local=1" not in page


def test_a_member_with_the_right_password_is_refused_in_their_language(client, member, sso_only):
    response = client.post("/login/?local=1", {**RIGHT, "local": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "passwords here are for administrators" in response.content.decode()
    assert [e.action for e in _events()] == ["people.sign_in.refused"]
    client.post("/login/", RIGHT, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "_auth_user_id" not in client.session


def test_an_administrator_still_signs_in_with_the_password(client, admin_user, sso_only):
    response = client.post("/login/?local=1", {"username": "admin", "password": "pw-test-123"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin_user.pk)
