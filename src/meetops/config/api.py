"""The REST API under /api/v1/: one NinjaAPI, one router per app, one error shape.

Every failure, whatever raised it, leaves as
`{"error": {"code": "...", "message": "<translated>", "details": {...}}}`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from meetops.core.errors import DomainError
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
    from meetops.agenda.api import router as agenda_router
    from meetops.attendance.api import router as attendance_router
    from meetops.budget.api import router as budget_router
    from meetops.core.api import router as audit_router
    from meetops.evaluation.api import feedback_router
    from meetops.evaluation.api import router as evaluation_router
    from meetops.followup.api import router as followup_router
    from meetops.improvement.api import router as improvement_router
    from meetops.invitations.api import router as invitations_router
    from meetops.invitations.api import rsvp_router
    from meetops.invitations.api_groups import groups_router
    from meetops.live.api import router as live_router
    from meetops.meetings.api import router as meetings_router
    from meetops.minutes.api import router as minutes_router
    from meetops.notifications.api import router as notifications_router
    from meetops.people.api import router as people_router
    from meetops.records.api import router as records_router
    from meetops.reports.api import router as reports_router
    from meetops.risks.api import router as risks_router
    from meetops.seating.api import router as seating_router
    from meetops.venues.api import router as venues_router

    api.add_router("/", people_router)
    api.add_router("/meetings", meetings_router)
    api.add_router("/meetings", agenda_router)
    api.add_router("/meetings", budget_router)
    api.add_router("/audit", audit_router)
    # A second router under /meetings: /meetings/{id}/participants, /invitations, /rsvp.
    api.add_router("/meetings", invitations_router)
    api.add_router("/rsvp", rsvp_router)
    api.add_router("/groups", groups_router)
    # Full paths (/rooms, /bookings, /meetings/{id}/bookings, /scheduling/...): no clash with /meetings.
    api.add_router("/", venues_router)
    api.add_router("/", notifications_router)
    # /meetings/{id}/signins and /meetings/{id}/attendance.
    api.add_router("/meetings", attendance_router)
    # Full paths: /meetings/{id}/minutes, /meetings/{id}/actions, /actions.
    api.add_router("/", minutes_router)
    # Full paths (/meetings/{id}/risks, /risks/{id}, /meetings/{id}/emergency-plan, ...).
    api.add_router("/", risks_router)
    # Full paths: /meetings/{id}/report (+ draft, submit, approve, return, instructions), /approvals.
    api.add_router("/", reports_router)
    # Full paths: /meetings/{id}/live, /timings, /support-tickets, /questions; /support-tickets/{id}, /questions/{id}.
    api.add_router("/", live_router)
    # Full paths: /followup/items, /followup/summary, /followup/escalations, /actions/{id}/progress, ...
    api.add_router("/", followup_router)
    # Full paths: /meetings/{id}/seating (+ auto-assign, assignments).
    api.add_router("/", seating_router)
    # Full paths: /meetings/{id}/survey (+ results), /meetings/{id}/evaluation; /feedback without login.
    api.add_router("/", evaluation_router)
    api.add_router("/feedback", feedback_router)
    # Full paths: /archive/dossiers, /archive/documents/{id}/download, /archive/search, ...
    api.add_router("/", records_router)
    # Full paths: /lessons, /improvements, /cases (and /meetings/{id}/lessons).
    api.add_router("/", improvement_router)


_mount_routers()
