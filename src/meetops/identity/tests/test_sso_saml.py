"""SAML 2.0 sign-in against a pysaml2 IdP in its own process (needs the xmlsec1 program)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import requests

from meetops.core.models import AuditEntry
from meetops.identity.providers import reset_providers
from meetops.people.models import Department, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def idp(settings: Any, saml_idp: Any) -> str:
    settings.MEETOPS_SAML_IDP_METADATA = saml_idp.url + "/idp/metadata"
    reset_providers()
    return str(saml_idp.url)


def post_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and fields of the self-submitting form the IdP answers with."""
    action = html.unescape(re.search(r'<form[^>]* action="([^"]+)"', page)[1])  # type: ignore[index]
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
    }
    return action, fields


def test_saml_sign_in_creates_the_person_from_the_assertion(idp: str, live_server: Any) -> None:
    dept = Department.objects.create(name="人事处")
    browser = requests.Session()
    base = live_server.url

    assert (
        "Sign in with SAML" in browser.get(base + "/login/", headers={"Accept-Language": "en"}).text
    )
    to_idp = browser.get(base + "/sso/saml2/login/?next=/", allow_redirects=False)
    assert to_idp.status_code == 302 and to_idp.headers["Location"].startswith(
        idp + "/sso/redirect?"
    )
    form = browser.get(to_idp.headers["Location"]).text
    _, fields = post_form(form)
    answer = browser.post(
        idp + "/sso/login", data={**fields, "username": "zhaoliu", "password": "idp-pass-123"}
    )
    acs, assertion = post_form(answer.text)
    assert acs == base + "/sso/saml2/acs/" and "SAMLResponse" in assertion

    landed = browser.post(acs, data=assertion, allow_redirects=False)

    assert landed.status_code == 302, landed.text[:2000]
    person = User.objects.get(external_identities__provider="saml")
    assert (person.display_name, person.email, person.phone, person.department) == (
        "赵六",
        "zhaoliu@example.org",
        "13700000004",
        dept,
    )
    assert "赵六" in browser.get(base + "/").text
    entry = AuditEntry.objects.filter(action="people.sign_in.success").latest("id")
    assert entry.data["provider"] == "saml"
    # The same assertion again is refused: its request is no longer outstanding.
    replay = requests.post(acs, data=assertion, allow_redirects=False, timeout=10)
    assert replay.status_code in (400, 403, 409)
    assert User.objects.count() == 1


def test_without_metadata_there_is_no_saml(client: Any, db: Any) -> None:
    assert client.get("/sso/saml2/login/").status_code == 404
    assert "SAML" not in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
