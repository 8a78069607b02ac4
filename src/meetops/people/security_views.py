"""Sign-in pages (password, second factor) and the security administrator's page."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetops.core.errors import DomainError
from meetops.core.web import AuthedRequest
from meetops.people import services, two_factor
from meetops.people.middleware import SECOND_FACTOR_KEY
from meetops.people.models import Role, RoleAssignment, User
from meetops.people.permissions import can_manage_roles, may_use_local_password, two_factor_required
from meetops.people.signin import LOCAL, record_sign_in


class LocalPasswordForm(AuthenticationForm):
    """The password form; with MEETOPS_LOCAL_LOGIN=0 it lets administrators in only."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not may_use_local_password(user):
            record_sign_in(
                user=user,
                username=user.get_username(),
                provider=LOCAL,
                outcome="refused",
                request=self.request,
            )
            raise forms.ValidationError(
                _(
                    "Sign in with your organisation's account; passwords here are for administrators."
                ),
                code="local_login_off",
            )

    def get_invalid_login_error(self) -> forms.ValidationError:
        # A sign-in provider that knew the person but refused them (conflict, disabled
        # account, no account yet, directory unreachable) left its reason on the request;
        # "wrong name or password" would send them looking in the wrong place.
        reason = getattr(self.request, "identity_error", None)
        if isinstance(reason, DomainError) and reason.code == "identity_conflict":
            # The conflict names the other accounts: for administrators (the sync report),
            # not for whoever typed a directory password here.
            return forms.ValidationError(
                _(
                    "Your directory account matches more than one MeetOps account. "
                    "Ask an administrator to link it."
                ),
                code=reason.code,
            )
        if isinstance(reason, DomainError):
            return forms.ValidationError(str(reason.message), code=reason.code)
        return super().get_invalid_login_error()


class SignInView(LoginView):
    template_name = "people/login.html"
    redirect_authenticated_user = True
    form_class = LocalPasswordForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asked = self.request.GET.get("local") == "1" or self.request.POST.get("local") == "1"
        context["show_password_form"] = bool(settings.MEETOPS_LOCAL_LOGIN) or asked
        context["local_only_for_admins"] = not settings.MEETOPS_LOCAL_LOGIN
        return context


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return target


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    from django_otp import login as otp_login
    from django_otp import match_token

    user = request.user
    if request.session.get(SECOND_FACTOR_KEY) != "verify":
        return redirect(_next(request))
    error = ""
    if request.method == "POST":
        device = match_token(user, request.POST.get("token", "").strip().replace(" ", ""))
        if device is None:
            record_sign_in(
                user=user, username=user.username, provider="totp", outcome="code_failed"
            )
            error = _("That code is not right. Type the six digits your app shows now.")
        else:
            otp_login(request, device)
            request.session.pop(SECOND_FACTOR_KEY, None)
            record_sign_in(user=user, username=user.username, provider="totp", outcome="verified")
            return redirect(_next(request))
    return render(
        request, "people/two_factor_verify.html", {"error": error, "next": _next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    """Set up (or turn off) one's TOTP app; administrators are sent here until they have one."""
    from django_otp import login as otp_login

    user = request.user
    if request.session.get(SECOND_FACTOR_KEY) == "verify":
        return redirect("two_factor_verify")
    error, codes = "", []
    if request.method == "POST" and "turn_off" in request.POST:
        two_factor.turn_off_two_factor(user, actor=user)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("two_factor_setup")
    if request.method == "POST":
        try:
            codes = two_factor.confirm_two_factor(
                user, token=request.POST.get("token", ""), actor=user
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
            request.session.pop(SECOND_FACTOR_KEY, None)
    enabled = bool(codes) or two_factor.has_two_factor(user)
    device = None if enabled else two_factor.pending_device(user)
    return render(
        request,
        "people/two_factor_setup.html",
        {
            "enabled": enabled,
            "required": two_factor_required(user),
            "device": device,
            "manual_key": _spaced_base32(device.bin_key) if device else "",
            "codes": codes,
            "error": error,
            "next": _next(request),
        },
    )


@login_required
def two_factor_qr(request: AuthedRequest) -> HttpResponse:
    """The QR code of the device being set up (an image, so the page needs no inline SVG)."""
    import io

    device = two_factor.pending_device(request.user)
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=2)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def _spaced_base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


ASSIGNABLE = [(code, label) for code, label in Role.choices]


@login_required
@require_http_methods(["GET", "POST"])
def security_admin(request: AuthedRequest) -> HttpResponse:
    """Roles and second factors of every account: the security administrator's page."""
    if not can_manage_roles(request.user):
        raise DjangoPermissionDenied
    if request.method == "POST":
        user_id = request.POST.get("user", "")
        if not user_id.isdigit():
            raise Http404
        target = get_object_or_404(User, pk=int(user_id))
        if "reset_two_factor" in request.POST:
            two_factor.reset_two_factor(target, actor=request.user)
            messages.success(
                request, _("The second factor of %(user)s was reset.") % {"user": target}
            )
        else:
            services.set_roles(target, roles=request.POST.getlist("roles"), actor=request.user)
            messages.success(request, _("Roles of %(user)s saved.") % {"user": target})
        return redirect("security_admin")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = (
        User.objects.filter(is_active=True)
        .order_by("username")
        .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.all()))
    )
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [
        {
            "user": u,
            "roles": {a.role for a in u.role_assignments.all()},
            "two_factor": u.pk in with_device,
        }
        for u in users
    ]
    return render(
        request,
        "people/security_admin.html",
        {"rows": rows, "roles": ASSIGNABLE, "separation": settings.MEETOPS_SEPARATION_OF_DUTIES},
    )
