from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from meetops.core import boundary
from meetops.core.audit import audit_context
from meetops.core.models import AuditSource


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Marks every write made while serving a request as coming from the web or the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.UI
        with audit_context(source, client_ip(request)):
            return self.get_response(request)


class ErrorBoundaryMiddleware:
    """The pages' one error boundary: what a view lets escape becomes a styled, translated answer.

    - `DomainError` → its `.status`, its `code` (in `data-code`) and its translated message;
      `Http404` and `ObjectDoesNotExist` → 404; Django's `PermissionDenied` → 403.
    - An htmx request (not a boosted page load) gets a fragment,
      `<div class="flash error" role="alert" data-code=…>`, with `HX-Retarget: #main` and
      `HX-Reswap: afterbegin`, so the message appears in the page's flash area whatever
      element asked; `core/errors.js` lets htmx swap it in despite the 4xx status.
    - A plain form POST refused by a `DomainError` (not 403/404) from one of our pages goes
      back to that page (303 to the `Referer`) with the message as an error flash, the way a
      successful POST redirects; without a same-site `Referer` it gets the error page.
      Forms whose input must survive the refusal catch the error themselves
      (`core.web.errors_onto`) and render the form again.
    - Everything else (a crash) is left to Django: `handler500`.
    - Requests under /api/v1/ are left alone: the API answers in its own JSON shape.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return boundary.answer(request, exception)
