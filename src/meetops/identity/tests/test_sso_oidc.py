"""OpenID Connect sign-in against a real provider (django-oauth-toolkit in its own process)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.test import Client
from tests.servers.fixtures import free_port

from meetops.core.models import AuditEntry
from meetops.identity.oidc import OidcProvider
from meetops.identity.tests.sso_helpers import local, oidc_sign_in, query_of, use_oidc
from meetops.people.models import Department, User

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "op-pass-123"


@pytest.fixture
def issuer(settings: Any, oidc_provider: Any) -> str:
    cache.clear()
    url = oidc_provider.url + "/o"
    use_oidc(settings, url)
    return url


def sign_in_through_oidc(client: Client) -> tuple[Any, str]:
    to_op = client.get("/sso/oidc/authenticate/?next=/")
    assert to_op.status_code == 302
    back = oidc_sign_in(to_op["Location"], "wangwu", PASSWORD)
    return client.get(local(back)), to_op["Location"]


def test_the_login_page_offers_openid_connect(issuer: str, client: Client) -> None:
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/sso/oidc/authenticate/' in page


def test_oidc_sign_in_uses_pkce_and_creates_the_person_from_the_claims(
    issuer: str, client: Client
) -> None:
    dept = Department.objects.create(name="财务处")
    landed, authorize = sign_in_through_oidc(client)

    params = query_of(authorize)
    assert authorize.startswith(issuer + "/authorize/")
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["response_type"] == "code" and params["nonce"] and params["state"]
    assert "profile" in params["scope"].split()
    assert landed.status_code == 302 and landed["Location"] == "/"
    person = User.objects.get(external_identities__provider="oidc")
    assert (person.username, person.display_name, person.email, person.phone) == (
        "wangwu",
        "王五",
        "wangwu@example.com",
        "13900000003",
    )
    assert person.department == dept
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.filter(action="people.sign_in.success").latest("id")
    assert entry.data["provider"] == "oidc"


def test_a_code_is_good_once(issuer: str, client: Client) -> None:
    to_op = client.get("/sso/oidc/authenticate/?next=/")
    back = oidc_sign_in(to_op["Location"], "wangwu", PASSWORD)
    assert client.get(local(back)).status_code == 302
    client.post("/logout/")
    replay = client.get(local(back))
    assert replay.status_code in (400, 409)
    assert client.get("/").status_code == 302


def test_signing_out_ends_the_provider_session_with_the_id_token(
    issuer: str, client: Client
) -> None:
    sign_in_through_oidc(client)
    out = client.post("/logout/")
    assert out["Location"].startswith(issuer + "/logout/?")
    params = query_of(out["Location"])
    assert params["id_token_hint"].count(".") == 2
    assert unquote(params["post_logout_redirect_uri"]) == "http://testserver/login/"
    assert client.get("/").status_code == 302


def test_a_discovery_document_for_another_issuer_is_refused(
    settings: Any, client: Client, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    use_oidc(settings, "https://sso.example.com/realms/staff")

    class Answer:
        def raise_for_status(self) -> None:
            return None

        def json(self) -> dict[str, str]:
            return {
                "issuer": "https://evil.example.net/",
                "authorization_endpoint": "https://evil.example.net/a",
            }

    monkeypatch.setattr("meetops.identity.oidc.requests.get", lambda *a, **k: Answer())
    answer = client.get("/sso/oidc/authenticate/")
    assert answer.status_code == 409
    assert 'data-code="sso_issuer_mismatch"' in answer.content.decode()


def test_an_unreachable_provider_is_said_so(settings: Any, client: Client, db: Any) -> None:
    cache.clear()
    use_oidc(settings, f"http://127.0.0.1:{free_port()}/o")
    answer = client.get("/sso/oidc/authenticate/")
    assert answer.status_code == 409
    assert 'data-code="sso_unreachable"' in answer.content.decode()


def test_an_unverified_email_is_not_used_to_match_people(settings: Any) -> None:
    provider = OidcProvider("oidc")
    attrs = provider.map_attributes(
        {"sub": "s1", "email": "boss@example.com", "email_verified": False}
    )
    assert attrs.email == "" and attrs.external_id == "s1"
    attrs = provider.map_attributes(
        {"sub": "s1", "email": "me@example.com", "email_verified": True}
    )
    assert attrs.email == "me@example.com"
