"""What CAS, OpenID Connect and SAML sign-in share (issue 11, items 3 and 4).

Each of them sends the browser to the provider and takes back a ticket, code or assertion;
its module (`cas.py`, `oidc.py`, `saml.py`) turns that into `PersonAttributes`, and from there
`sign_in_person` is the same for all: departments named by the provider are matched to
MeetOps' by the provider's id (after a directory sync) or by name, the person is linked or
created just in time (`services.link_or_create_person`), and the session remembers the
provider so that signing out of MeetOps also signs out there (single logout).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from meetops.core.errors import DomainError
from meetops.identity.models import ExternalDepartment
from meetops.identity.providers import Kind, PersonAttributes, Provider, providers_of_kind
from meetops.identity.services import link_or_create_person
from meetops.people.models import Department, User

logger = logging.getLogger(__name__)

# The session key naming the provider a person signed in through (for single logout).
SESSION_PROVIDER = "meetops_sso_provider"
# CAS first: on a campus, 统一身份认证 is how everyone signs in.
BUTTON_ORDER = ("cas", "oidc", "saml")


def first_value(raw: Mapping[str, Any], names: Sequence[str]) -> str:
    """The first non-empty value among these attribute names (multi-valued: its first)."""
    for name in names:
        value = raw.get(name)
        if isinstance(value, list | tuple):
            value = next((v for v in value if v), "")
        if value not in (None, ""):
            return str(value).strip()
    return ""


def attribute_map(setting: str, defaults: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The provider's attribute names per MeetOps field: the defaults, replaced by what the
    setting (a dict, from `field=attr1|attr2,…` in the environment) names."""
    mapping = {field: list(names) for field, names in defaults.items()}
    for field, names in dict(getattr(settings, setting, None) or {}).items():
        if field in mapping and str(names).strip():
            mapping[field] = [n.strip() for n in str(names).split("|") if n.strip()]
    return mapping


def person_from(
    raw: Mapping[str, Any], *, external_id: str, mapping: Mapping[str, Sequence[str]]
) -> PersonAttributes:
    """`PersonAttributes` from a flat record of claims or attributes and a field mapping.

    The department is the provider's department id when it sends one, else the department's
    name; `department_names` in `raw` keeps the name for matching by name."""
    dept_id = first_value(raw, mapping["department_id"])
    dept_name = first_value(raw, mapping["department"])
    department = dept_id or dept_name
    username = first_value(raw, mapping["username"]) or external_id
    return PersonAttributes(
        external_id=external_id,
        username=username,
        display_name=first_value(raw, mapping["name"]),
        email=first_value(raw, mapping["email"]),
        mobile=first_value(raw, mapping["mobile"]),
        title=first_value(raw, mapping["title"]),
        department_ids=(department,) if department else (),
        raw={**raw, "department_names": {department: dept_name} if department else {}},
    )


def _link_departments_by_name(provider: Provider, attrs: PersonAttributes) -> None:
    """Map a department the provider names but no directory sync has seen to the MeetOps
    department of that name (only when exactly one has it)."""
    names: Mapping[str, str] = attrs.raw.get("department_names") or {}
    for external_id in attrs.department_ids:
        name = names.get(external_id, "")
        if (
            not name
            or ExternalDepartment.objects.filter(
                provider=provider.key, external_id=external_id
            ).exists()
        ):
            continue
        found = list(Department.objects.filter(name=name)[:2])
        if len(found) == 1:
            # get_or_create: two first sign-ins from one department may arrive together.
            ExternalDepartment.objects.get_or_create(
                provider=provider.key,
                external_id=external_id,
                defaults={"department": found[0], "raw": {"name": name}},
            )


def sign_in_person(provider: Provider, attrs: PersonAttributes) -> User:
    """The MeetOps person for what a sign-in provider said, linked, updated or created.

    Raises the DomainErrors of `link_or_create_person` (conflict, disabled, no account)."""
    with transaction.atomic():
        _link_departments_by_name(provider, attrs)
        return link_or_create_person(provider=provider, attrs=attrs)


def signed_in(request: HttpRequest, user: User, provider: Provider) -> None:
    """Remember the provider for single logout."""
    request.session[SESSION_PROVIDER] = provider.key
    # The audit entry ("people.sign_in.success" with the provider) is written by people's
    # user_logged_in receiver, from the backend's `meetops_provider`.


def refused(request: HttpRequest, error: DomainError) -> None:
    """Keep the reason a provider's sign-in was refused for the view to show (backends can
    only answer None)."""
    logger.warning("single sign-on refused: %s", error.code)
    request.identity_error = error  # type: ignore[attr-defined]


def not_confirmed() -> DomainError:
    """The error for a ticket, code or assertion the provider did not confirm."""
    return DomainError(
        _("The sign-in server did not confirm who you are. Please sign in again."),
        "sso_not_confirmed",
    )


def login_buttons(request: HttpRequest, next_url: str = "") -> list[dict[str, str]]:
    """The configured sign-in providers as buttons for the login page, CAS first."""
    found = providers_of_kind(Kind.LOGIN_REDIRECT)
    found.sort(key=lambda p: BUTTON_ORDER.index(p.key) if p.key in BUTTON_ORDER else 99)
    return [
        {"key": p.key, "label": str(p.label), "url": p.login_url(request, next_url=next_url)}
        for p in found
    ]


class ProviderLogout:
    """What a sign-in provider does when its person signs out of MeetOps."""

    def logout_url(self, request: HttpRequest, *, after: str) -> str:
        """Where to send the browser after the local session ended ("" = nowhere)."""
        return ""

    def before_logout(self, request: HttpRequest) -> None:
        """Read or clean what the session holds for the provider, before it is flushed."""


@method_decorator(never_cache, name="dispatch")
class SsoLogoutView(View):
    """Sign out: end the MeetOps session, then, for a person who came through a single
    sign-on provider, end the provider's session too (CAS `/logout`, OIDC
    `end_session_endpoint` with `id_token_hint`, SAML single logout)."""

    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest) -> HttpResponse:
        after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
        key = request.session.get(SESSION_PROVIDER, "")
        provider = next((p for p in providers_of_kind(Kind.LOGIN_REDIRECT) if p.key == key), None)
        target = ""
        if isinstance(provider, ProviderLogout):
            provider.before_logout(request)
            if getattr(provider, "logs_out_itself", False):
                # SAML: its own view sends the LogoutRequest and ends the session on return.
                return HttpResponseRedirect(provider.logout_url(request, after=after))
            target = provider.logout_url(request, after=after)
        auth_logout(request)
        return HttpResponseRedirect(target or after)


def with_query(url: str, params: Mapping[str, str]) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{url}{'&' if '?' in url else '?'}{query}" if query else url


def login_page(request: HttpRequest) -> str:
    return reverse("login")
