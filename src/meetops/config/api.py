"""The REST API under /api/v1/: one NinjaAPI, the routers the apps declare, one error shape.

Each app declares its routers in its `contributions.py` (prefix and mount order); this module
mounts them and names no app.

Every failure, whatever raised it, leaves as
`{"error": {"code": "...", "message": "<translated>", "details": {...}}}`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from meetops.core.errors import DomainError
from meetops.core.registry import ApiRouter, registry
from meetops.people.models import User
from meetops.people.services import user_for_token

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="MeetOps API",
    version="1",
    urls_namespace="api",
    # Tokens for tools; the browser session (with CSRF) for the OpenAPI explorer.
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "details": details or {}}},
        status=status,
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        fields.append(
            {"field": ".".join(loc), "problem": err.get("msg", ""), "type": err.get("type", "")}
        )
    return error_response(
        request, 422, "invalid_input", _("Some of the input is not valid."), {"fields": fields}
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(request, 401, "unauthenticated", _("A valid API token is required."))
    response["WWW-Authenticate"] = 'Bearer realm="meetops"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        429: "throttled",
    }
    status = exc.status_code
    message = _("The request body is not valid JSON.") if status == 400 else str(exc)
    return error_response(request, status, codes.get(status, "http_error"), message)


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled API error", exc_info=exc)
    return error_response(request, 500, "server_error", _("Something went wrong on our side."))


def _mount_routers() -> None:
    """Mount every router the apps declared (the registry's "api_routers" store), in order."""
    routers: list[ApiRouter] = registry["api_routers"].ordered()
    for mounted in routers:
        api.add_router(mounted.prefix, import_string(mounted.router))


_mount_routers()
