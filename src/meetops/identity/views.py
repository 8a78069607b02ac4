"""Identity pages: directory sync (start, progress, report) and outside-account links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.errors import NotFound
from meetops.core.web import AuthedRequest
from meetops.identity import selectors, services, sync
from meetops.identity.providers import providers


@login_required
def sync_list(request: AuthedRequest) -> HttpResponse:
    """Providers that can list people, with their recent runs and buttons to sync."""
    runs = selectors.sync_runs_for(request.user)[:50]
    syncable = [
        {"provider": p, "departments": selectors.known_departments(p.key)}
        for p in providers().values()
        if p.can_sync
    ]
    return render(
        request,
        "identity/sync_list.html",
        {"runs": runs, "syncable": syncable, "nav_area": "identity"},
    )


@login_required
@require_POST
def sync_start(request: AuthedRequest, provider: str) -> HttpResponse:
    selectors.sync_runs_for(request.user)
    found = providers().get(provider)
    if found is None:
        raise NotFound()
    run = sync.queue_sync(
        found,
        actor=request.user,
        dry_run=request.POST.get("dry_run") == "1",
        department_ids=[d for d in request.POST.getlist("department") if d],
    )
    return redirect("identity_sync_detail", pk=run.pk)


@login_required
def sync_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One run's report; while it runs, its progress (the fragment polls itself)."""
    run = selectors.get_sync_run_for_user(request.user, pk)
    if request.htmx:
        response = render(request, "identity/_sync_progress.html", {"run": run})
        if run.finished_at is not None:
            response["HX-Refresh"] = "true"  # done: show the whole report
        return response
    return render(
        request,
        "identity/sync_detail.html",
        {"run": run, "report": run.report, "nav_area": "identity"},
    )


@login_required
def link_list(request: AuthedRequest) -> HttpResponse:
    """Every link between a person and an outside account, searchable; admins unlink."""
    query = request.GET.get("q", "").strip()[:100]
    links = selectors.links_for(request.user, query=query)[:200]
    return render(
        request, "identity/links.html", {"links": links, "q": query, "nav_area": "identity"}
    )


@login_required
@require_POST
def link_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    link = selectors.get_link_for_user(request.user, pk)
    services.unlink_identity(link, actor=request.user)
    messages.success(request, _("The link was removed."))
    return redirect("identity_link_list")
