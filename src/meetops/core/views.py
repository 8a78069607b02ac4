from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetops.core import backup, probes
from meetops.core.forms import AuditFilterForm
from meetops.core.jobs import BACKUP_JOB
from meetops.core.models import JobRun
from meetops.core.selectors import audit_entries_for
from meetops.core.web import AuthedRequest, htmx_template, paginated

AUDIT_PAGE_SIZE = 50


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    entries = audit_entries_for(request.user, **form.filters())
    context = {
        "form": form,
        "empty_values": (None, "", [], {}),
        **paginated(request, entries, AUDIT_PAGE_SIZE),
    }
    template = htmx_template(request, "core/audit_log.html", "core/_audit_results.html")
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def backups(request: AuthedRequest) -> HttpResponse:
    """The backups and the scheduled job's last run, for administrators (P7.6)."""
    if not request.user.is_system_admin:
        raise PermissionDenied
    if request.method == "POST":
        try:
            info = backup.create_backup()
            result = backup.verify_backup(info.path)
            if not result.ok:
                raise backup.BackupError("; ".join(result.problems))
        except backup.BackupError as exc:
            messages.error(request, _("The backup failed: %(error)s") % {"error": exc.message})
        else:
            messages.success(
                request, _("Backup %(name)s was written and verified.") % {"name": info.name}
            )
        return redirect("backups")
    context = {
        "backups": backup.list_backups(),
        "job": JobRun.objects.filter(name=BACKUP_JOB).first(),
        "every_hours": settings.MEETOPS_BACKUP_EVERY_HOURS,
        "keep": settings.MEETOPS_BACKUP_KEEP,
        "directory": backup.backup_dir(),
    }
    return render(request, "core/backups.html", context)


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database, Redis (if configured) and file storage answer;
    503 naming what does not. `/healthz` stays the liveness check."""
    failed = {
        "database": probes.database(),
        "redis": probes.redis(),
        "storage": probes.storage(),
    }
    body: dict[str, str] = {
        name: "unavailable" if problem else "ok" for name, problem in failed.items()
    }
    if not probes.redis_configured():
        body["redis"] = "not_configured"
    ready = not any(failed.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **body}, status=200 if ready else 503
    )
