"""CAS 2.0 / 3.0 sign-in (统一身份认证), on django-cas-ng (issue 11, item 3).

Settings: `MEETOPS_CAS_URL` (the CAS root, e.g. https://cas.example.edu.cn/cas/),
`MEETOPS_CAS_VERSION` (2 or 3; 3 releases attributes from `/p3/serviceValidate`),
`MEETOPS_CAS_ATTRIBUTES` (which attributes hold name, e-mail, mobile, department).
The browser goes to `/sso/cas/login/`, on to the CAS server, and comes back there with a
ticket, which the server validates; the person is linked or created from `cas:user` and the
attributes. The CAS server's single-logout POST (`logoutRequest`) to the same URL ends the
MeetOps session that ticket opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django_cas_ng.backends import CASBackend
from django_cas_ng.models import SessionTicket
from django_cas_ng.utils import get_cas_client
from django_cas_ng.views import LoginView

from meetops.core.errors import DomainError
from meetops.identity import sso
from meetops.identity.providers import Kind, PersonAttributes, Provider, get_provider
from meetops.people.models import User

ATTRIBUTES = {
    "username": ["uid", "username"],
    "name": ["cn", "displayName", "name", "xm"],
    "email": ["mail", "email"],
    "mobile": ["mobile", "telephoneNumber", "phone", "sjh"],
    "title": ["title"],
    "department_id": ["departmentNumber", "departmentId", "dwdm"],
    "department": ["department", "ou", "departmentName", "dwmc"],
}


class CasProvider(Provider, sso.ProviderLogout):
    """A CAS server: configured by `MEETOPS_CAS_URL`."""

    kind = Kind.LOGIN_REDIRECT
    default_label: ClassVar[Any] = _("Unified identity sign-in")

    @classmethod
    def from_settings(cls, key: str) -> CasProvider | None:
        url = getattr(settings, "MEETOPS_CAS_URL", "")
        if not url:
            return None
        return cls(key, label=getattr(settings, "MEETOPS_CAS_LABEL", ""), config={"url": url})

    def login_url(self, request: HttpRequest, *, next_url: str = "") -> str:
        return sso.with_query(reverse("identity_cas_login"), {"next": next_url})

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        mapping = sso.attribute_map("MEETOPS_CAS_ATTRIBUTES", ATTRIBUTES)
        return sso.person_from(raw, external_id=str(raw.get("cas:user", "")), mapping=mapping)

    def before_logout(self, request: HttpRequest) -> None:
        # The ticket no longer opens a session: a late single-logout POST finds nothing.
        if request.session.session_key:
            SessionTicket.objects.filter(session_key=request.session.session_key).delete()

    def logout_url(self, request: HttpRequest, *, after: str) -> str:
        return str(get_cas_client(request=request).get_logout_url(after))


class CasBackend(CASBackend):
    """Validates the ticket at the CAS server and signs in the person it names."""

    meetops_provider = "cas"

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest, ticket: str, service: str
    ) -> User | None:
        provider = get_provider("cas")
        client = get_cas_client(service_url=service, request=request)
        username, attributes, _pgtiou = client.verify_ticket(ticket)
        if not username:
            return None
        attrs = provider.map_attributes({**(attributes or {}), "cas:user": username})
        try:
            user = sso.sign_in_person(provider, attrs)
        except DomainError as error:
            sso.refused(request, error)
            return None
        return user if self.user_can_authenticate(user) else None


class CasLoginView(LoginView):
    """django-cas-ng's login view (redirect, ticket, single-logout POST), only while CAS is
    configured, and with the reason shown when MeetOps refuses the person."""

    # The CAS server's single-logout POST carries no CSRF token (django-cas-ng's is exempt too).
    @method_decorator(csrf_exempt)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(settings, "MEETOPS_CAS_URL", ""):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        signed_in_before = request.user.is_authenticated
        try:
            response = super().get(request)
        except PermissionDenied:
            raise getattr(request, "identity_error", None) or sso.not_confirmed() from None
        if not signed_in_before and request.user.is_authenticated:
            sso.signed_in(request, request.user, get_provider("cas"))
        return response
