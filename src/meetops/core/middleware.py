from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
