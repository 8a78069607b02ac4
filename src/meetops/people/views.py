from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetops.core.web import AuthedRequest
from meetops.people import services
from meetops.people.models import ApiToken
from meetops.people.selectors import find_people


@require_POST
def set_language_preference(request: HttpRequest) -> HttpResponse:
    """Switch language: saved on the account when signed in, in a cookie always."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        services.set_language(request.user, language=language, actor=request.user)
    activate(language)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


@login_required
def my_settings(request: AuthedRequest) -> HttpResponse:
    """Language, time zone and personal API tokens of the signed-in user."""
    user = request.user
    new_token = ""
    if request.method == "POST":
        if "time_zone" in request.POST:
            services.set_time_zone(user, time_zone=request.POST["time_zone"], actor=user)
            messages.success(request, _("Your time zone is saved."))
        elif "new_token" in request.POST:
            _token, new_token = services.create_api_token(
                user,
                actor=user,
                name=request.POST.get("name", "")[:100],
            )
        elif request.POST.get("revoke", "").isdigit():
            token = get_object_or_404(
                ApiToken, pk=int(request.POST["revoke"]), user=user, revoked_at__isnull=True
            )
            services.revoke_api_token(token, actor=user)
            messages.success(request, _("Token revoked."))
        if not new_token:
            return redirect("my_settings")
    return render(
        request,
        "people/settings.html",
        {
            "zones": sorted(services.available_time_zones()),
            "site_zone": settings.TIME_ZONE,
            "tokens": user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at"),
            "new_token": new_token,
        },
    )


SUGGESTIONS = 8


@login_required
@require_GET
def suggest_people(request: AuthedRequest) -> HttpResponse:
    """The people picker's suggestions (htmx): names, pinyin (wangfang, wf → 王芳), user names."""
    q = request.GET.get("q", "").strip()
    found = list(find_people(q)[:SUGGESTIONS]) if q else []
    return render(request, "people/_suggestions.html", {"people": found, "q": q})
