from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie and the browser; their time zone too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = (
            getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        )
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        zone = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


SECOND_FACTOR_KEY = "meetops_second_factor"  # "verify" or "setup", set at sign-in
# Pages a signed-in person may open before the second factor: the steps themselves.
_BEFORE_SECOND_FACTOR = ("/login/", "/logout/", "/me/two-factor/", "/me/language/", "/i18n/")


class TwoFactorMiddleware:
    """After the password, the second factor, before anything else (MEETOPS_ADMIN_2FA).

    Whether a session owes one is decided once at sign-in (`people.signin`) and kept in the
    session, so pages pay no query for it. Pages redirect to the code (or, for an
    administrator without a device, to setting one up); the API treats such a session as not
    signed in (401). API tokens are not sessions and are not asked (docs/operations.md).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = request.session.get(SECOND_FACTOR_KEY) if hasattr(request, "session") else None
        if state and request.user.is_authenticated and not _verified(request):
            path = request.path
            if path.startswith("/api/"):
                request.user = AnonymousUser()
            elif request.headers.get("HX-Request") and not path.startswith(_BEFORE_SECOND_FACTOR):
                # A fragment the page polls for (the bell) must not swap the sign-in step in.
                return HttpResponse(status=204)
            elif not path.startswith(_BEFORE_SECOND_FACTOR) and not path.startswith(
                settings.STATIC_URL or "/static/"
            ):
                target = "two_factor_verify" if state == "verify" else "two_factor_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())
