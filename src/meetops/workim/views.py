"""Work IM endpoints: sign-in (QR or in-app), the platforms' callbacks, the admin page.

Each platform endpoint answers 404 while the platform has no settings.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from meetops.core.errors import DomainError, PermissionDenied
from meetops.core.web import AuthedRequest
from meetops.identity.sso import SESSION_PROVIDER
from meetops.people.models import User
from meetops.people.signin import record_sign_in
from meetops.workim import changes, config, decisions, services
from meetops.workim.links import absolute, local_path
from meetops.workim.platforms import (
    CallbackRefused,
    Event,
    Platform,
    get_platform,
    platforms,
)

logger = logging.getLogger(__name__)
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return local_path(url)
    return "/"


@never_cache
def login_start(request: HttpRequest, platform: str) -> HttpResponse:
    """Start signing in: the platform's QR page, or inside its client the silent authorisation."""
    found = get_platform(platform, configured=True)
    next_url = safe_next(request, request.GET.get("next", ""))
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    state = services.issue_state(found, next_url=next_url)
    redirect_uri = absolute(reverse("workim_auth", args=[found.key]))
    return HttpResponseRedirect(
        found.authorize_url(state=state, redirect_uri=redirect_uri, qr=not found.in_app(request))
    )


@never_cache
def login_return(request: HttpRequest, platform: str) -> HttpResponse:
    """The platform sends the browser back here with `code` and `state`."""
    found = get_platform(platform, configured=True)
    code = request.GET.get("code", "")
    user_id = ""
    try:
        data = services.take_state(found, request.GET.get("state", ""))
        if not code:  # the person refused on the platform: only the state comes back
            raise CallbackRefused("no code", "no_code")
        user_id = found.user_id_from_code(code)
        user = services.linked_person(found, user_id)
    except (CallbackRefused, DomainError) as exc:
        messages.error(request, sign_in_refused(found, exc, user_id=user_id))
        return redirect("login")
    sign_in(request, found, user)
    return HttpResponseRedirect(safe_next(request, str(data.get("next", ""))))


def sign_in_refused(found: Platform, exc: CallbackRefused | DomainError, *, user_id: str) -> str:
    """Record a refused sign-in (`people.sign_in.failure`); what to tell the person."""
    logger.warning("%s sign-in refused: %s", found.key, getattr(exc, "code", exc))
    record_sign_in(user=None, username=user_id or "?", provider=found.key, outcome="failure")
    if isinstance(exc, DomainError):
        return str(exc.message)
    return str(_("The sign-in could not be confirmed. Please try again."))


def sign_in(request: HttpRequest, found: Platform, user: User) -> None:
    """Sign the person in as having come through the platform."""
    # people's user_logged_in receiver writes people.sign_in.success with this provider.
    request.meetops_provider = found.key  # type: ignore[attr-defined]
    login(request, user, backend=LOGIN_BACKEND)
    request.session[SESSION_PROVIDER] = found.key


@csrf_exempt
@never_cache
def events(request: HttpRequest, platform: str) -> HttpResponse:
    """Change events (people, departments) and URL checks; WeCom's card clicks arrive here too."""
    found = get_platform(platform, configured=True)
    try:
        received = found.parse_event(request)
    except CallbackRefused as exc:
        logger.warning("%s callback refused: %s", found.key, exc.code)
        return HttpResponseForbidden(exc.code)
    cards = [e for e in received if e.kind == "card_action"]
    changes.apply_events(found, [e for e in received if e.kind != "card_action"])
    if cards:
        return _card_response(request, found, cards[0])
    return found.event_reply(request, received)


@csrf_exempt
@never_cache
def card(request: HttpRequest, platform: str) -> HttpResponse:
    """A button on an interactive message was clicked."""
    found = get_platform(platform, configured=True)
    try:
        received = found.parse_event(request)
    except CallbackRefused as exc:
        logger.warning("%s card callback refused: %s", found.key, exc.code)
        return HttpResponseForbidden(exc.code)
    cards = [e for e in received if e.kind == "card_action"]
    if not cards:
        return found.event_reply(request, received)
    return _card_response(request, found, cards[0])


def _card_response(request: HttpRequest, found: Platform, event: Event) -> HttpResponse:
    return found.card_reply(request, event, decisions.handle_card_action(found, event))


# --- the admin page --------------------------------------------------------------------------


@login_required
def settings_page(request: AuthedRequest) -> HttpResponse:
    """Each platform's settings (where each comes from), a test button, the callback URLs."""
    if not services.can_configure(request.user):
        raise PermissionDenied()
    rows = []
    for key, each in platforms().items():
        rows.append(
            {
                "platform": each,
                "configured": each.configured(),
                "fields": [(f, config.source(key, f.name)) for f in each.fields],
                "urls": {
                    "app": each.home_page_url(),
                    "login": absolute(reverse("workim_auth", args=[key])),
                    "events": absolute(reverse("workim_events", args=[key])),
                    "card": absolute(reverse("workim_card", args=[key])),
                },
            }
        )
    return render(request, "workim/settings.html", {"rows": rows, "nav_area": "workim"})


@login_required
@require_POST
def settings_save(request: AuthedRequest, platform: str) -> HttpResponse:
    if not services.can_configure(request.user):
        raise PermissionDenied()
    found = get_platform(platform)
    values = {f.name: request.POST.get(f.name, "") for f in found.fields}
    services.save_platform_config(found, actor=request.user, values=values)
    messages.success(request, _("The settings were saved."))
    return redirect("workim_settings")


@login_required
@require_POST
def settings_test(request: AuthedRequest, platform: str) -> HttpResponse:
    if not services.can_configure(request.user):
        raise PermissionDenied()
    found = get_platform(platform)
    problem = services.test_connection(found, actor=request.user)
    if problem:
        messages.error(request, _("The connection failed: %(problem)s") % {"problem": problem})
    else:
        messages.success(request, _("Connected: the platform gave MeetOps an access token."))
    return redirect("workim_settings")


@login_required
@require_POST
def preference_save(request: AuthedRequest) -> HttpResponse:
    services.set_im_preference(
        actor=request.user,
        receive=request.POST.get("receive") == "1",
        # The to-do box is on the form only where a linked platform has to-dos.
        todos=request.POST.get("todos") == "1" if "todos_offered" in request.POST else None,
    )
    messages.success(request, _("Your choice was saved."))
    return HttpResponseRedirect(safe_next(request, request.POST.get("back", "")))
