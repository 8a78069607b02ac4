"""Single sign-on in chromium: through a real CAS server, a real OpenID provider and a
pysaml2 IdP (tests/servers), at desktop width and at 375 px."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = [1366, 375]


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    # Loading every app's URLs takes seconds on a busy machine; not inside a page's timeout.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018


def allow_sign_out_to(settings: Any, url: str) -> None:
    """As settings.py does for a configured provider: the sign-out form may end there."""
    site = urlparse(url)
    policy = {**settings.CONTENT_SECURITY_POLICY}
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], f"{site.scheme}://{site.netloc}"]
    policy["DIRECTIVES"] = directives
    settings.CONTENT_SECURITY_POLICY = policy


def department(name: str) -> Any:
    from meetops.people.models import Department

    return Department.objects.create(name=name)


def shows_the_person(page: Any, name: str, dept: str) -> None:
    page.wait_for_url("**/")
    assert page.locator(".userbox .who").text_content().strip() == name
    page.goto("/me/")
    assert dept in page.locator("main").inner_text()


def sign_out(page: Any, provider_host: str) -> None:
    page.goto("/")
    if page.locator(".menu-button").is_visible():
        page.click(".menu-button")
    page.click(".userbox button[type=submit]")
    page.wait_for_url("**/login/**")


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_through_cas(open_page: Any, settings: Any, cas_server: Any, width: int) -> None:
    from meetops.identity.tests.sso_helpers import use_cas

    use_cas(settings, cas_server.url + "/cas/")
    allow_sign_out_to(settings, cas_server.url)
    department("计算机学院")
    page = open_page(width=width)
    page.goto("/login/")
    first = page.locator(".sso-providers a").first
    assert first.text_content().strip() == "统一身份认证登录"
    first.click()
    page.wait_for_url(cas_server.url + "/cas/login**")
    page.fill("#id_username", "2019001")
    page.fill("#id_password", "cas-pass-123")
    page.click("#login_form button[type=submit]")
    shows_the_person(page, "张三", "计算机学院")

    sign_out(page, cas_server.url)
    # Signed out of CAS too: its login form asks for the password again.
    page.goto("/sso/cas/login/")
    page.wait_for_url(cas_server.url + "/cas/login**")
    assert page.locator("#id_password").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_through_openid_connect(
    open_page: Any, settings: Any, oidc_provider: Any, width: int
) -> None:
    from django.core.cache import cache

    from meetops.identity.tests.sso_helpers import use_oidc

    cache.clear()
    use_oidc(settings, oidc_provider.url + "/o")
    allow_sign_out_to(settings, oidc_provider.url)
    department("财务处")
    page = open_page(width=width)
    page.goto("/login/")
    page.click(".sso-providers a.sso-oidc")
    page.wait_for_url(oidc_provider.url + "/accounts/login/**")
    page.fill("#id_username", "wangwu")
    page.fill("#id_password", "op-pass-123")
    page.click("#op-sign-in")
    shows_the_person(page, "王五", "财务处")

    sign_out(page, oidc_provider.url)
    # RP-initiated logout ended the provider's session: it asks for the password again.
    page.click(".sso-providers a.sso-oidc")
    page.wait_for_url(oidc_provider.url + "/accounts/login/**")


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_through_saml(open_page: Any, settings: Any, saml_idp: Any, width: int) -> None:
    from meetops.identity.providers import reset_providers

    settings.MEETOPS_SAML_IDP_METADATA = saml_idp.url + "/idp/metadata"
    reset_providers()
    allow_sign_out_to(settings, saml_idp.url)
    department("人事处")
    page = open_page(width=width)
    page.goto("/login/")
    page.click(".sso-providers a.sso-saml")
    page.wait_for_url(saml_idp.url + "/sso/redirect**")
    page.fill("#username", "zhaoliu")
    page.fill("#password", "idp-pass-123")
    page.click("#idp-sign-in")
    shows_the_person(page, "赵六", "人事处")

    sign_out(page, saml_idp.url)
    assert page.goto("/").url.endswith("/login/?next=/")
