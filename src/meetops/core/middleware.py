from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from meetops.core import boundary, refill
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
      back to that page (303 to the `Referer`, or without one to the page the form names) with
      the message as an error flash, the way a successful POST redirects; when neither says
      a page of ours it gets the error page. The
      page it goes back to shows the form filled with what was typed (core.refill).
      Forms whose input must survive the refusal catch the error themselves
      (`core.web.errors_onto`) and render the form again.
    - Everything else (a crash) is left to Django: `handler500`.
    - Requests under /api/v1/ are left alone: the API answers in its own JSON shape.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The page a refused form came back to gets its input again (core.refill).
        return refill.restore(request, self.get_response(request))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return boundary.answer(request, exception)


API_PREFIX = "/api/v1/"


class ApiErrorShapeMiddleware:
    """Every error under /api/v1/ leaves in the API's one shape, even those ninja never saw.

    Django answers an unknown path with an HTML 404, ninja a wrong method with a
    plain-text 405, and a crash outside ninja with an HTML 500; clients of the
    API parse JSON. Responses the API already shaped pass unchanged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        code, message = self._describe(response.status_code)
        shaped = JsonResponse(
            {"error": {"code": code, "message": message, "details": {}}},
            status=response.status_code,
        )
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped

    @staticmethod
    def _describe(status: int) -> tuple[str, str]:
        known = {
            400: ("bad_request", _("The request is not valid.")),
            403: ("forbidden", _("You do not have permission to do this.")),
            404: ("not_found", _("Not found.")),
            405: ("method_not_allowed", _("This method is not allowed here.")),
            413: ("too_large", _("The request is too large.")),
        }
        if status in known:
            return known[status]
        if status < 500:
            return "bad_request", _("The request is not valid.")
        return "server_error", _("Something went wrong on our side.")
