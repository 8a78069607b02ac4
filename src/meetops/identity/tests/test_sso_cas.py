"""CAS 3.0 sign-in against a real CAS server (django-cas-server in its own process)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from meetops.core.models import AuditEntry
from meetops.identity.models import ExternalIdentity
from meetops.identity.tests.sso_helpers import cas_sign_in, local, query_of, use_cas
from meetops.people.models import Department, User

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "cas-pass-123"


@pytest.fixture
def cas(settings: Any, cas_server: Any) -> str:
    root = cas_server.url + "/cas/"
    use_cas(settings, root)
    return root


def sign_in_through_cas(client: Client, username: str = "2019001") -> Any:
    """Follow the login button to the CAS server, sign in there, come back with the ticket."""
    to_cas = client.get("/sso/cas/login/?next=/")
    assert to_cas.status_code == 302
    back = cas_sign_in(to_cas["Location"], username, PASSWORD)
    assert "ticket=ST-" in back
    return client.get(local(back)), back


def test_the_login_page_offers_unified_identity_sign_in_first(cas: str, client: Client) -> None:
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "统一身份认证登录" in page
    assert page.index("统一身份认证登录") < page.index('name="password"')
    assert 'href="/sso/cas/login/' in page


def test_without_cas_the_login_page_has_no_such_button(client: Client, db: Any) -> None:
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "统一身份认证登录" not in page
    assert client.get("/sso/cas/login/").status_code == 404


def test_cas_sign_in_creates_the_person_from_the_attributes(cas: str, client: Client) -> None:
    dept = Department.objects.create(name="计算机学院")
    to_cas = client.get("/sso/cas/login/?next=/")
    assert to_cas["Location"].startswith(cas + "login?service=")
    assert "/sso/cas/login/" in unquote(to_cas["Location"])

    landed, _ = sign_in_through_cas(client)

    assert landed.status_code == 302 and landed["Location"] == "/"
    person = User.objects.get(
        external_identities__provider="cas", external_identities__external_id="2019001"
    )
    assert (person.display_name, person.email, person.phone) == (
        "张三",
        "zhangsan@example.edu.cn",
        "13800000001",
    )
    assert person.department == dept
    dashboard = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert dashboard.status_code == 200 and "张三" in dashboard.content.decode()
    entry = AuditEntry.objects.filter(action="people.sign_in.success").latest("id")
    assert entry.data["provider"] == "cas" and entry.object_id == str(person.pk)


def test_a_second_sign_in_links_to_the_same_person(cas: str, client: Client) -> None:
    sign_in_through_cas(client)
    client.post("/logout/")
    sign_in_through_cas(client)
    assert ExternalIdentity.objects.filter(provider="cas", external_id="2019001").count() == 1
    assert User.objects.filter(display_name="张三").count() == 1


def test_a_ticket_is_good_once(cas: str, client: Client) -> None:
    _, back = sign_in_through_cas(client)
    again = Client().get(local(back))
    assert again.status_code == 409
    assert 'data-code="sso_not_confirmed"' in again.content.decode()
    assert User.objects.count() == 1


def test_single_logout_from_the_cas_server_ends_the_session(cas: str, client: Client) -> None:
    _, back = sign_in_through_cas(client)
    ticket = query_of(back)["ticket"]
    assert client.get("/").status_code == 200
    logout_request = (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" '
        'IssueInstant="2026-12-06T10:00:00Z"><saml:NameID>2019001</saml:NameID>'
        f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex></samlp:LogoutRequest>"
    )
    # As the CAS server sends it: a plain POST without any CSRF token.
    Client(enforce_csrf_checks=True).post("/sso/cas/login/", {"logoutRequest": logout_request})
    assert client.get("/").status_code == 302
    assert Session.objects.count() == 0


def test_signing_out_also_signs_out_of_cas(cas: str, client: Client) -> None:
    sign_in_through_cas(client)
    out = client.post("/logout/")
    assert out.status_code == 302
    assert out["Location"].startswith(cas + "logout?service=")
    assert unquote(out["Location"]).endswith("http://testserver/login/")
    assert client.get("/").status_code == 302


def test_cas_2_validates_at_service_validate(
    cas: str, client: Client, settings: Any, cas_server: Any
) -> None:
    settings.CAS_VERSION = settings.MEETOPS_CAS_VERSION = "2"
    log = cas_server.data / "server.log"
    before = log.read_text()
    landed, _ = sign_in_through_cas(client)
    assert landed.status_code == 302
    requests_made = log.read_text()[len(before) :]
    assert "GET /cas/serviceValidate?" in requests_made
    assert "/cas/p3/serviceValidate" not in requests_made
    person = User.objects.get(external_identities__external_id="2019001")
    # django-cas-server releases attributes on the CAS 2 endpoint too; many campus servers don't.
    assert person.username == "2019001" and person.display_name == "张三"
