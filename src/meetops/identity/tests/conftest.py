"""The throw-away OpenLDAP server (slapd) for identity's tests, one per test process."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from meetops.identity.tests import slapd


@pytest.fixture(scope="session")
def slapd_server() -> Iterator[slapd.Slapd]:
    if not slapd.available():
        pytest.skip(
            "OpenLDAP's slapd is not installed (apt-get install slapd ldap-utils; .ci/run does it)"
        )
    server = slapd.start_slapd()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def slapd_tls_server() -> Iterator[slapd.Slapd]:
    """A second server with a throw-away CA's certificate, for StartTLS and LDAPS."""
    if not slapd.available():
        pytest.skip(
            "OpenLDAP's slapd is not installed (apt-get install slapd ldap-utils; .ci/run does it)"
        )
    try:
        server = slapd.start_slapd(tls=True)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"slapd does not start with TLS on this machine, TLS tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def ldap_settings(settings: Any, slapd_server: slapd.Slapd) -> Any:
    """MeetOps pointed at the test directory, as an operator would configure it."""
    return point_at(settings, slapd_server)


@pytest.fixture
def ldap_tls_settings(settings: Any, slapd_tls_server: slapd.Slapd) -> Any:
    """`ldap_settings` for the TLS server (plain ldap:// URL; tests turn StartTLS or LDAPS on)."""
    return point_at(settings, slapd_tls_server)


def point_at(settings: Any, slapd_server: slapd.Slapd) -> Any:
    settings.MEETOPS_LDAP_URL = slapd_server.url
    settings.MEETOPS_LDAP_BIND_DN = slapd.READER_DN
    settings.MEETOPS_LDAP_BIND_PASSWORD = slapd.READER_PW
    settings.MEETOPS_LDAP_USER_BASE = slapd.DEPARTMENTS
    settings.MEETOPS_LDAP_DEPARTMENT_BASE = slapd.DEPARTMENTS
    settings.MEETOPS_LDAP_GROUP_BASE = slapd.GROUPS
    settings.MEETOPS_LDAP_GROUP_ROLES = f"cn=meetops-admins,{slapd.GROUPS}=admin"
    settings.MEETOPS_LDAP_PAGE_SIZE = 3
    return settings


@pytest.fixture
def ldap_root(slapd_server: slapd.Slapd) -> Iterator[Any]:
    """A connection as the directory's root, to change the directory in a test."""
    import ldap3

    conn = ldap3.Connection(
        ldap3.Server(slapd_server.url, get_info=ldap3.NONE),
        user=slapd.ROOT_DN,
        password=slapd.ROOT_PW,
        auto_bind=True,
    )
    yield conn
    conn.unbind()
