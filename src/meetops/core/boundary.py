"""How a page shows a failure: one place that turns an error into a styled, translated answer.

`ErrorBoundaryMiddleware` (core.middleware) calls `answer()` for every exception a
page view lets escape; `config.urls` points `handler403`/`handler404`/`handler500`
at the views below for the failures Django meets before or outside a view (an
unknown URL, a crash). The API under /api/v1/ answers with its own JSON shape
(`config.api`) and never comes here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from meetops.core import refill
from meetops.core.errors import DomainError

API_PREFIX = "/api/"

# htmx swaps no 4xx/5xx answer by default; core/errors.js swaps those that carry this header.
ERROR_HEADER = "MeetOps-Error"

# Errors about many rows (an imported sheet, a budget table) list each; a page shows this many.
MAX_LINES = 200


@dataclass(frozen=True)
class Failure:
    """What the person is told: the HTTP status, the stable code and the translated message."""

    status: int
    code: str
    message: str
    lines: tuple[str, ...] = ()  # one per refused row, when the error names rows

    @property
    def template(self) -> str:
        return {403: "403.html", 404: "404.html"}.get(self.status, "core/error.html")


def not_found() -> Failure:
    return Failure(404, "not_found", _("This page does not exist, or you may not see it."))


def forbidden() -> Failure:
    return Failure(403, "forbidden", _("You do not have permission to do this."))


def failure_for(exc: BaseException) -> Failure | None:
    """The failure a page shows for this exception; None for a crash (Django's 500 path)."""
    if isinstance(exc, DomainError) and exc.status == 404 and exc.code == "not_found":
        # A loader's "not there or not yours": the same sentence as any other missing page.
        return not_found()
    if isinstance(exc, DomainError):
        rows = exc.details.get("rows") or []
        lines = tuple(str(row["message"]) for row in rows[:MAX_LINES] if "message" in row)
        return Failure(exc.status, exc.code, str(exc.message), lines)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return not_found()
    if isinstance(exc, DjangoPermissionDenied):
        # Django's PermissionDenied carries no code and often an untranslated
        # developer's text: the person reads the one translated sentence.
        return forbidden()
    return None


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _is_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def _back(request: HttpRequest) -> str | None:
    """The page the form was posted from, when it is one of ours: the `Referer`, or without
    one (a privacy setting, a browser that strips it) the page the form names (core.refill)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return refill.back_field(request)


def render_failure(request: HttpRequest, failure: Failure) -> HttpResponse:
    """The htmx fragment for the page's flash area, or the whole styled page."""
    context: dict[str, object] = {
        "code": failure.code,
        "message": failure.message,
        "lines": failure.lines,
        "status": failure.status,
    }
    if _is_fragment(request):
        response = render(request, "core/_error.html", context, status=failure.status)
        # Shown above the page's content, where messages show, whatever the
        # element that asked meant to replace.
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "afterbegin"
        response["HX-Reselect"] = "[data-boundary]"
        response[ERROR_HEADER] = failure.code
        return response
    context["back"] = _back(request)
    return render(request, failure.template, context, status=failure.status)


def answer(request: HttpRequest, exc: BaseException) -> HttpResponse | None:
    """The response for an exception a page view raised, or None to let Django handle it."""
    if is_api(request):
        return None
    failure = failure_for(exc)
    if failure is None:
        return None
    if (
        isinstance(exc, DomainError)
        and failure.status not in (403, 404)
        and request.method == "POST"
        and not _is_fragment(request)
    ):
        back = _back(request)
        if back is not None:
            refill.keep(request, exc, back)
            for text in (failure.message, *failure.lines):
                messages.error(request, text, extra_tags=failure.code)
            return HttpResponseRedirect(back, status=303)
    return render_failure(request, failure)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler404`: an unknown address, or a 404 raised where the middleware does not reach."""
    return render_failure(request, not_found())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler403`: also what CSRF failures and the middleware's siblings end in."""
    return render_failure(request, forbidden())


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: rendered without the request's context, so no database, no session, no user."""
    context = {"MEETOPS_NAME": getattr(settings, "MEETOPS_NAME", "MeetOps"), "code": "server_error"}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
