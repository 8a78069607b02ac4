"""OpenID Connect sign-in, on mozilla-django-oidc (issue 11, item 4).

Settings: `MEETOPS_OIDC_ISSUER` (endpoints come from its discovery document),
`MEETOPS_OIDC_CLIENT_ID`, `MEETOPS_OIDC_CLIENT_SECRET`, `MEETOPS_OIDC_SCOPES`,
`MEETOPS_OIDC_CLAIMS` (which claims hold name, e-mail, mobile, department).
Authorisation code flow with PKCE (S256), nonce and state; the ID token's signature is checked
against the provider's JWKS. The account is keyed on `sub`. Signing out of MeetOps sends the
browser to the provider's `end_session_endpoint` with `id_token_hint` (RP-initiated logout).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from meetops.core.errors import DomainError
from meetops.identity import sso
from meetops.identity.providers import Kind, PersonAttributes, Provider, get_provider
from meetops.people.models import User

CLAIMS = {
    "username": ["preferred_username"],
    "name": ["name", "nickname"],
    "email": ["email"],
    "mobile": ["phone_number"],
    "title": ["title"],
    "department_id": ["department_id"],
    "department": ["department"],
}
DISCOVERY_SECONDS = 3600
# mozilla-django-oidc's setting names, answered from the discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def _issuer() -> str:
    return str(getattr(settings, "MEETOPS_OIDC_ISSUER", "") or "").rstrip("/")


def configured() -> bool:
    return bool(_issuer() and getattr(settings, "MEETOPS_OIDC_CLIENT_ID", ""))


def discovery() -> dict[str, Any]:
    """The issuer's `/.well-known/openid-configuration`, cached for an hour."""
    issuer = _issuer()
    key = f"identity:oidc:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration",
                timeout=getattr(settings, "MEETOPS_OIDC_TIMEOUT", 10),
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise DomainError(
                _("The OpenID Connect provider cannot be reached. Please try again later."),
                "sso_unreachable",
                provider="oidc",
            ) from exc
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            # Tokens are checked against the issuer we trust, not whatever the document says.
            raise DomainError(
                _("The OpenID Connect provider names another issuer."),
                "sso_issuer_mismatch",
                provider="oidc",
            )
        cache.set(key, document, DISCOVERY_SECONDS)
    return dict(document)


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, from MeetOps' own (and the discovery document)."""
    if attr in DISCOVERED:
        return discovery().get(DISCOVERED[attr]) if configured() else None
    ours = {
        "OIDC_RP_CLIENT_ID": getattr(settings, "MEETOPS_OIDC_CLIENT_ID", ""),
        "OIDC_RP_CLIENT_SECRET": getattr(settings, "MEETOPS_OIDC_CLIENT_SECRET", ""),
        "OIDC_RP_SCOPES": getattr(settings, "MEETOPS_OIDC_SCOPES", "openid profile email phone"),
        "OIDC_RP_SIGN_ALGO": getattr(settings, "MEETOPS_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_USE_NONCE": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "identity_oidc_callback",
        "OIDC_TIMEOUT": getattr(settings, "MEETOPS_OIDC_TIMEOUT", 10),
    }
    if attr in ours:
        return ours[attr]
    return import_from_settings(attr, *default)


class OidcProvider(Provider, sso.ProviderLogout):
    """An OpenID provider: configured by `MEETOPS_OIDC_ISSUER` and `MEETOPS_OIDC_CLIENT_ID`."""

    kind = Kind.LOGIN_REDIRECT
    default_label: ClassVar[Any] = _("Sign in with OpenID Connect")

    @classmethod
    def from_settings(cls, key: str) -> OidcProvider | None:
        if not configured():
            return None
        label = getattr(settings, "MEETOPS_OIDC_LABEL", "")
        return cls(key, label=label, config={"issuer": _issuer()})

    def login_url(self, request: HttpRequest, *, next_url: str = "") -> str:
        return sso.with_query(reverse("identity_oidc_login"), {"next": next_url})

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        mapping = sso.attribute_map("MEETOPS_OIDC_CLAIMS", CLAIMS)
        claims = dict(raw)
        if claims.get("email_verified") is False:
            # An unverified address must not link this account to someone else's.
            claims.pop("email", None)
        return sso.person_from(claims, external_id=str(claims.get("sub", "")), mapping=mapping)

    def logout_url(self, request: HttpRequest, *, after: str) -> str:
        end_session = discovery().get("end_session_endpoint", "")
        if not end_session:
            return ""
        return sso.with_query(
            end_session,
            {
                "id_token_hint": request.session.get("oidc_id_token", ""),
                "post_logout_redirect_uri": after,
                "client_id": str(getattr(settings, "MEETOPS_OIDC_CLIENT_ID", "")),
            },
        )


class OidcBackend(OIDCAuthenticationBackend):
    """Exchanges the code (with the PKCE verifier), checks the ID token and signs in the
    person it names. Reads the provider's endpoints only when a code arrives."""

    meetops_provider = "oidc"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for every sign-in (passwords too): no discovery here.
        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not configured():
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = {**payload, **(self.get_userinfo(access_token, id_token, payload) or {})}
        provider = get_provider("oidc")
        try:
            user = sso.sign_in_person(provider, provider.map_attributes(claims))
        except DomainError as error:
            sso.refused(self.request, error)
            return None
        return user if self.user_can_authenticate(user) else None


class OidcLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorisation endpoint (state, nonce, PKCE)."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            raise Http404
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Takes the code back, signs the person in, or says why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            raise Http404
        return super().get(request)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        sso.signed_in(self.request, self.user, get_provider("oidc"))
        return response

    def login_failure(self) -> HttpResponse:
        raise getattr(self.request, "identity_error", None) or sso.not_confirmed()
