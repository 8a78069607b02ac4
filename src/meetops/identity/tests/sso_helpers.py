"""Helpers for the single sign-on tests: settings that point MeetOps at the test servers
(tests/servers/fixtures.py) and a person signing in at a provider's own page."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import requests

from meetops.identity.providers import reset_providers


def use_cas(settings: Any, cas_url: str) -> None:
    settings.MEETOPS_CAS_URL = cas_url
    # django-cas-ng reads its own name.
    settings.CAS_SERVER_URL = cas_url
    settings.CAS_VERSION = "3"
    reset_providers()


def use_oidc(settings: Any, issuer: str) -> None:
    settings.MEETOPS_OIDC_ISSUER = issuer
    settings.MEETOPS_OIDC_CLIENT_ID = "meetops"
    settings.MEETOPS_OIDC_CLIENT_SECRET = "meetops-oidc-secret"
    reset_providers()


def hidden_fields(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
    }


def cas_sign_in(login_url: str, username: str, password: str) -> str:
    """Sign in at the CAS server's own form; the URL it sends the browser back to."""
    browser = requests.Session()
    form = browser.get(login_url, timeout=10)
    data = {**hidden_fields(form.text), "username": username, "password": password}
    answer = browser.post(form.url, data=data, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    return str(answer.headers["Location"])


def oidc_sign_in(authorize_url: str, username: str, password: str) -> str:
    """Sign in at the OpenID provider's form; the redirect back to MeetOps (with the code)."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)  # to the provider's login form
    data = {**hidden_fields(page.text), "username": username, "password": password}
    answer = browser.post(page.url, data=data, allow_redirects=False, timeout=10)
    location = urljoin(page.url, answer.headers["Location"])
    while "/sso/oidc/callback/" not in location:
        answer = browser.get(location, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        location = urljoin(location, answer.headers["Location"])
    return str(location)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def local(url: str) -> str:
    parts = urlparse(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
