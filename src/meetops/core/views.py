from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


from django.contrib.auth.decorators import login_required  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetops.core.selectors import audit_entries_for  # noqa: E402


@login_required
def dashboard(request: HttpRequest):  # type: ignore[no-untyped-def]
    from meetops.meetings.selectors import meetings_of

    upcoming = meetings_of(request.user).filter(end__gte=timezone.now()).order_by("start")[:10]  # type: ignore[arg-type]
    return render(request, "core/dashboard.html", {"upcoming": upcoming})


@login_required
def audit_log(request: HttpRequest):  # type: ignore[no-untyped-def]
    entries = audit_entries_for(
        request.user,  # type: ignore[arg-type]
        object_type=request.GET.get("object_type") or None,
        object_id=request.GET.get("object_id") or None,
        actor=request.GET.get("actor") or None,
    ).select_related(None)[:200]
    return render(request, "core/audit_log.html", {"entries": entries})
