"""Sign-in events in the audit log: success, failure, lockout, refusal, with the provider.

One hook for every way in. Password sign-ins are recorded from Django's `user_logged_in` /
`user_login_failed` signals and django-axes' `user_locked_out`, so any authentication backend
is covered without calling anything: the provider is the backend class's `meetops_provider`
attribute ("local" when it has none), or `request.meetops_provider` when a view set it, or
`credentials["provider"]` for failures. Sign-ins that do not go through `authenticate()`
(a single sign-on callback that fails before it knows a user) call `record_sign_in` directly.

Entries go to the account's stream (`user:<id>`); attempts for a name that is no account go
to the stream `user:0`, so they can be found and are chained like the rest.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.module_loading import import_string

from meetops.core import audit
from meetops.people.middleware import SECOND_FACTOR_KEY
from meetops.people.models import User
from meetops.people.two_factor import second_factor_due

LOCAL = "local"
OUTCOMES = ("success", "failure", "locked_out", "refused", "verified", "code_failed")


def record_sign_in(
    *,
    user: User | None,
    username: str,
    provider: str,
    outcome: str,
    request: HttpRequest | None = None,
) -> None:
    """Append `people.sign_in.<outcome>` for this attempt (the address comes from the request)."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    subject = user if user is not None and user.pk else User(pk=0, username=username[:150])
    data = {"username": username[:150], "provider": provider}
    with transaction.atomic():
        audit.record(
            f"people.sign_in.{outcome}",
            subject,
            actor=user if outcome in ("success", "verified") else None,
            data=data,
        )


def provider_of(user: Any, request: HttpRequest | None) -> str:
    explicit = getattr(request, "meetops_provider", None)
    if explicit:
        return str(explicit)
    backend = getattr(user, "backend", "")
    if backend:
        try:
            return str(getattr(import_string(backend), "meetops_provider", LOCAL))
        except ImportError:
            return LOCAL
    return LOCAL


def _user_named(username: str) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="meetops.sign_in.success")
def _on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        due = second_factor_due(user)
        if due:
            request.session[SECOND_FACTOR_KEY] = due
        else:
            request.session.pop(SECOND_FACTOR_KEY, None)
    record_sign_in(
        user=user,
        username=user.get_username(),
        provider=provider_of(user, request),
        outcome="success",
        request=request,
    )


@receiver(user_login_failed, dispatch_uid="meetops.sign_in.failure")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # django-axes answers first (its app is installed before ours): an attempt it refused
    # as locked out is recorded once, by the lockout receiver below.
    if request is not None and getattr(request, "axes_locked_out", False):
        return
    username = str(credentials.get("username") or "")
    provider = str(credentials.get("provider") or getattr(request, "meetops_provider", LOCAL))
    record_sign_in(
        user=_user_named(username),
        username=username,
        provider=provider,
        outcome="failure",
        request=request,
    )


def _on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    name = str(username or "")
    record_sign_in(
        user=_user_named(name),
        username=name,
        provider=str(getattr(request, "meetops_provider", LOCAL)),
        outcome="locked_out",
        request=request,
    )


def connect() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_on_locked_out, dispatch_uid="meetops.sign_in.locked_out")
