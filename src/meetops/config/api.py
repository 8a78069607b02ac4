"""The REST API under /api/v1/: one NinjaAPI, the routers the apps declare, one error shape.

Each app declares its routers in its `contributions.py` (prefix and mount order); this module
mounts them and names no app.

Every failure, whatever raised it, leaves as
`{"error": {"code": "...", "message": "<translated>", "details": {...}}}`;
field errors always as `details.fields: [{"field", "problem", "type"}]` (`field_details`; a
service's single `details.field` is kept beside it for clients that read it).
The OpenAPI document says so for every operation (`ErrorOut`, added by
`MeetOpsAPI.get_openapi_schema`). Statuses and codes: docs/architecture.md,
"Validation and the API error contract".
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from meetops.config.openapi import document_errors
from meetops.core.errors import DomainError, PermissionDenied
from meetops.core.registry import ApiRouter, registry
from meetops.core.schemas import MAX_DB_ID
from meetops.people.models import User
from meetops.people.services import user_for_token

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """The signed-in browser (the OpenAPI explorer), with its CSRF token.

    Anonymous callers are not asked for a CSRF token: they have no session to
    protect, and "not signed in" (401) is the honest answer. A signed-in
    session without the token is refused (403 `csrf_failed`).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(
                _lazy("The CSRF token is missing or wrong; reload the page."), "csrf_failed"
            )
        return request.COOKIES.get(self.param_name)


class MeetOpsAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(*args, **kwargs))

    def _get_urls(self) -> list[Any]:
        # A path id past 64 bits names no row, but the SQLite driver raises instead of
        # finding none: every operation answers it 404 before the view runs.
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _ids_that_fit(pattern.callback)
        return patterns


def _ids_that_fit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any(isinstance(v, int) and v > MAX_DB_ID for v in kwargs.values()):
            return error_response(request, 404, "not_found", _("Not found."))
        return view(request, *args, **kwargs)

    return checked


api = MeetOpsAPI(
    title="MeetOps API",
    version="1",
    urls_namespace="api",
    # Tokens for tools; the browser session (with CSRF) for the OpenAPI explorer.
    auth=[BearerToken(), BrowserSession()],
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


def field_errors(items: list[Any], code: str, message: str) -> list[dict[str, Any]]:
    """Services name bad fields as strings or dicts; the API always answers objects."""
    out = []
    for item in items:
        if isinstance(item, dict):
            extra = {k: v for k, v in item.items() if k not in ("message", "code")}
            out.append(
                {
                    **extra,
                    "field": str(item.get("field", "")),
                    "problem": str(item.get("problem", item.get("message", message))),
                    "type": str(item.get("type", item.get("code", code))),
                }
            )
        else:
            out.append({"field": str(item), "problem": message, "type": code})
    return out


def field_details(details: dict[str, Any], code: str, message: str) -> dict[str, Any]:
    """The one shape of field errors, `fields: [{field, problem, type}]`, whatever the service gave.

    Services name a refused field as `field="x"` (one), `fields=[...]` (names or objects) and
    `problems=[{field, problem}]` (each reason): each reason goes on its field's object. The
    single `field` key stays beside `fields` because API clients written before it read it.
    """
    out = dict(details)
    named = out.get("fields")
    if isinstance(named, list | tuple):
        items = list(named)
    elif isinstance(out.get("field"), str) and out["field"]:
        items = [out["field"]]
    else:
        return out
    fields = field_errors(items, code, message)
    reasons = {
        str(p.get("field")): str(p["problem"])
        for p in out.get("problems") or []
        if isinstance(p, dict) and "problem" in p
    }
    for item in fields:
        if item["field"] in reasons:
            item["problem"] = reasons[item["field"]]
    out["fields"] = fields
    return out


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    details = field_details(dict(exc.details), exc.code, str(exc.message))
    return error_response(request, exc.status, exc.code, str(exc.message), details)


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(
        request,
        413,
        "too_large",
        _("The request is too large (at most %(limit)d bytes).") % {"limit": limit},
        {"limit": limit},
    )


# Field errors of one of these kinds only give the 422 their own code (core/validation.py).
SPECIFIC_INPUT_CODES = {
    "invalid_date": _lazy("A date is outside the range MeetOps accepts."),
    "invalid_amount": _lazy("An amount is too large or not a number."),
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        fields.append(
            {"field": ".".join(loc), "problem": err.get("msg", ""), "type": err.get("type", "")}
        )
    kinds = {f["type"] for f in fields}
    if len(kinds) == 1 and (kind := kinds.pop()) in SPECIFIC_INPUT_CODES:
        return error_response(
            request, 422, kind, str(SPECIFIC_INPUT_CODES[kind]), {"fields": fields}
        )
    return error_response(
        request, 422, "invalid_input", _("Some of the input is not valid."), {"fields": fields}
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request, 401, "not_authenticated", _("A valid API token is required.")
    )
    response["WWW-Authenticate"] = 'Bearer realm="meetops"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
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
