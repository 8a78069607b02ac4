"""SAML 2.0 sign-in, on djangosaml2 / pysaml2 (issue 11, item 4).

Settings: `MEETOPS_SAML_IDP_METADATA` (the IdP's metadata: a file path or an http(s) URL),
optionally `MEETOPS_SAML_ENTITY_ID` (default: the URL of MeetOps' SP metadata,
/sso/saml2/metadata/), `MEETOPS_SAML_KEY_FILE` / `MEETOPS_SAML_CERT_FILE` (to sign requests),
`MEETOPS_SAML_ATTRIBUTES` (which attributes hold name, e-mail, mobile, department).
pysaml2 checks signatures with the `xmlsec1` program (Debian package xmlsec1): without it
SAML stays off (no button) and the log says why.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from djangosaml2.backends import Saml2Backend
from djangosaml2.views import AssertionConsumerServiceView
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import SPConfig

from meetops.core.errors import DomainError
from meetops.identity import sso
from meetops.identity.providers import Kind, PersonAttributes, Provider, get_provider
from meetops.people.models import User

logger = logging.getLogger(__name__)
ATTRIBUTES = {
    "username": ["uid", "eduPersonPrincipalName"],
    "name": ["displayName", "cn", "name"],
    "email": ["mail", "email"],
    "mobile": ["mobile", "telephoneNumber"],
    "title": ["title"],
    "department_id": ["departmentNumber"],
    "department": ["ou", "department"],
}


def xmlsec_binary() -> str:
    return shutil.which("xmlsec1") or ""


def configured() -> bool:
    return bool(getattr(settings, "MEETOPS_SAML_IDP_METADATA", "")) and bool(xmlsec_binary())


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """The pysaml2 service-provider configuration, from MeetOps' settings and the request's
    address (djangosaml2's SAML_CONFIG_LOADER)."""
    if not configured():
        raise Http404
    root = request.build_absolute_uri("/") if request is not None else settings.SITE_URL
    key = (
        root,
        str(settings.MEETOPS_SAML_IDP_METADATA),
        getattr(settings, "MEETOPS_SAML_ENTITY_ID", ""),
        getattr(settings, "MEETOPS_SAML_KEY_FILE", ""),
        getattr(settings, "MEETOPS_SAML_CERT_FILE", ""),
    )
    cached = _configs.get(key)
    # djangosaml2 asks several times a request; a remote IdP metadata is read once an hour.
    if cached is not None and time.monotonic() - cached[0] < METADATA_SECONDS:
        return cached[1]
    config = _build_config(request)
    _configs[key] = (time.monotonic(), config)
    return config


def _build_config(request: HttpRequest | None) -> SPConfig:
    def url(name: str) -> str:
        path = reverse(name)
        return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path

    metadata = str(settings.MEETOPS_SAML_IDP_METADATA)
    source = (
        {"remote": [{"url": metadata}]}
        if metadata.startswith(("http://", "https://"))
        else {"local": [metadata]}
    )
    config: dict[str, Any] = {
        "entityid": getattr(settings, "MEETOPS_SAML_ENTITY_ID", "") or url("saml2_metadata"),
        "xmlsec_binary": xmlsec_binary(),
        "allow_unknown_attributes": True,
        "metadata": source,
        "service": {
            "sp": {
                "name": str(settings.MEETOPS_NAME),
                "endpoints": {
                    "assertion_consumer_service": [(url("saml2_acs"), BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (url("saml2_ls"), BINDING_HTTP_REDIRECT),
                        (url("saml2_ls_post"), BINDING_HTTP_POST),
                    ],
                },
                "allow_unsolicited": False,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "authn_requests_signed": False,
                "logout_requests_signed": False,
            }
        },
    }
    key_file = getattr(settings, "MEETOPS_SAML_KEY_FILE", "")
    cert_file = getattr(settings, "MEETOPS_SAML_CERT_FILE", "")
    if key_file and cert_file:
        config.update(key_file=key_file, cert_file=cert_file)
        config["service"]["sp"].update(authn_requests_signed=True, logout_requests_signed=True)
    sp = SPConfig()
    sp.load(config)
    return sp


_configs: dict[tuple[str, ...], tuple[float, SPConfig]] = {}
METADATA_SECONDS = 3600


class SamlProvider(Provider, sso.ProviderLogout):
    """A SAML 2.0 IdP: configured by `MEETOPS_SAML_IDP_METADATA` (and needs xmlsec1)."""

    kind = Kind.LOGIN_REDIRECT
    default_label: ClassVar[Any] = _("Sign in with SAML")
    # djangosaml2's logout view sends the LogoutRequest and ends the session on the answer.
    logs_out_itself = True

    @classmethod
    def from_settings(cls, key: str) -> SamlProvider | None:
        if getattr(settings, "MEETOPS_SAML_IDP_METADATA", "") and not xmlsec_binary():
            logger.warning("SAML sign-in is off: the xmlsec1 program is not installed")
        if not configured():
            return None
        label = getattr(settings, "MEETOPS_SAML_LABEL", "")
        return cls(key, label=label, config={"metadata": settings.MEETOPS_SAML_IDP_METADATA})

    def login_url(self, request: HttpRequest, *, next_url: str = "") -> str:
        return sso.with_query(reverse("saml2_login"), {"next": next_url})

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        mapping = sso.attribute_map("MEETOPS_SAML_ATTRIBUTES", ATTRIBUTES)
        return sso.person_from(raw, external_id=str(raw.get("name_id", "")), mapping=mapping)

    def logout_url(self, request: HttpRequest, *, after: str) -> str:
        return reverse("saml2_logout")


class SamlBackend(Saml2Backend):
    """Signs in the person a verified SAML assertion names (keyed on its NameID)."""

    meetops_provider = "saml"

    def authenticate(
        self,
        request: HttpRequest,
        session_info: dict[str, Any] | None = None,
        attribute_mapping: Any = None,
        create_unknown_user: bool = True,
        assertion_info: Any = None,
        **kwargs: Any,
    ) -> User | None:
        if not session_info or "ava" not in session_info:
            return None
        name_id = session_info.get("name_id")
        raw = {**session_info["ava"], "name_id": getattr(name_id, "text", "") or ""}
        provider = get_provider("saml")
        try:
            user = sso.sign_in_person(provider, provider.map_attributes(raw))
        except DomainError as error:
            sso.refused(request, error)
            return None
        return user if self.user_can_authenticate(user) else None


class SamlAcsView(AssertionConsumerServiceView):
    """The assertion consumer: djangosaml2's, with the sign-in recorded and MeetOps' reason
    shown when it refuses the person."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not configured():
            raise Http404
        return super().post(request, *args, **kwargs)

    def post_login_hook(
        self, request: HttpRequest, user: Any, session_info: dict[str, Any]
    ) -> None:
        sso.signed_in(request, user, get_provider("saml"))

    def handle_acs_failure(
        self,
        request: HttpRequest,
        exception: Exception | None = None,
        status: int = 403,
        **kwargs: Any,
    ) -> HttpResponse:
        raise getattr(request, "identity_error", None) or sso.not_confirmed()
