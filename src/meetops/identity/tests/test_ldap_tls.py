"""LDAP over TLS (issue 11): StartTLS and LDAPS against a slapd whose certificate comes from
a throw-away CA; a server the configured CA did not sign is refused, not trusted."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.identity.tests import slapd
from meetops.people.models import User


def signs_in(client: Any) -> bool:
    client.post("/login/", {"username": "zhangsan", "password": slapd.PASSWORD})
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_start_tls_with_the_servers_ca_signs_in(
    ldap_tls_settings: Any, slapd_tls_server: slapd.Slapd, client: Any
) -> None:
    ldap_tls_settings.MEETOPS_LDAP_START_TLS = True
    ldap_tls_settings.MEETOPS_LDAP_CA_FILE = slapd_tls_server.ca_file
    assert signs_in(client)
    assert User.objects.get(username="zhangsan").display_name == "张三"


@pytest.mark.django_db
def test_ldaps_with_the_servers_ca_signs_in(
    ldap_tls_settings: Any, slapd_tls_server: slapd.Slapd, client: Any
) -> None:
    ldap_tls_settings.MEETOPS_LDAP_URL = slapd_tls_server.ldaps_url
    ldap_tls_settings.MEETOPS_LDAP_CA_FILE = slapd_tls_server.ca_file
    assert signs_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["start_tls", "ldaps"])
def test_a_server_certificate_from_another_ca_is_refused(
    ldap_tls_settings: Any, slapd_tls_server: slapd.Slapd, client: Any, how: str
) -> None:
    if how == "ldaps":
        ldap_tls_settings.MEETOPS_LDAP_URL = slapd_tls_server.ldaps_url
    else:
        ldap_tls_settings.MEETOPS_LDAP_START_TLS = True
    ldap_tls_settings.MEETOPS_LDAP_CA_FILE = slapd_tls_server.other_ca_file
    response = client.post(
        "/login/",
        {"username": "zhangsan", "password": slapd.PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "The directory server cannot be reached." in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()
