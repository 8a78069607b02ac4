"""Work IM actions: saving a platform's settings, testing them, people's choice to get
messages there, sign-in states and callback replay guards, signing a person in."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.identity.models import ExternalIdentity
from meetops.identity.providers import reset_providers
from meetops.notifications.senders import SendError
from meetops.people.models import User
from meetops.workim import config
from meetops.workim.models import ImPreference, Nonce, PlatformConfig
from meetops.workim.platforms import CallbackRefused, Platform

# A sign-in state lives long enough to scan a QR code and confirm on the phone.
STATE_MINUTES = 30


def can_configure(user: User) -> bool:
    return user.is_authenticated and user.is_admin


# --- settings -------------------------------------------------------------------------------


def save_platform_config(
    platform: Platform, *, actor: User, values: Mapping[str, str]
) -> PlatformConfig:
    """Save what the admin typed: empty fields keep the saved value (secrets are never shown
    again, so an empty box means "unchanged"); `-` clears one. Fields set in the environment
    cannot be saved. Audited without the secrets."""
    if not can_configure(actor):
        raise PermissionDenied()
    known = {f.name: f for f in platform.fields}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValidationFailed(_("Unknown setting."), "unknown_field", fields=unknown)
    with transaction.atomic():
        row, _created = PlatformConfig.objects.select_for_update().get_or_create(
            platform=platform.key
        )
        saved = dict(row.values)
        changed: list[str] = []
        for name, text in values.items():
            f, text = known[name], (text or "").strip()
            if not text or config.from_environment(f.env) is not None:
                continue
            if text == "-":
                if name in saved:
                    saved.pop(name)
                    changed.append(name)
                continue
            stored = config.encrypt(text) if f.secret else text
            if f.secret or saved.get(name) != stored:
                saved[name] = stored
                changed.append(name)
        row.values, row.updated_by = saved, actor
        row.save(update_fields=["values", "updated_by", "updated_at"])
        audit.record(
            "workim.config.saved",
            row,
            actor=actor,
            data={"platform": platform.key, "changed": sorted(changed)},
        )
        # Now, for this process, and again after commit, for a reader that refilled the
        # cache with the old values meanwhile.
        config.forget(platform.key)
        transaction.on_commit(lambda: _settings_changed(platform))
    return row


def _settings_changed(platform: Platform) -> None:
    config.forget(platform.key)
    # The login button and directory sync appear or go with the platform's settings.
    reset_providers()


def test_connection(platform: Platform, *, actor: User) -> str:
    """Fetch a fresh token with the current settings (the "test connection" button).
    Returns "" when it worked, else the platform's answer. Audited."""
    if not can_configure(actor):
        raise PermissionDenied()
    missing = [str(f.label) for f in platform.missing()]
    if missing:
        problem = str(_("Missing: %(fields)s") % {"fields": ", ".join(missing)})
    else:
        try:
            platform.token(refresh=True)
            problem = ""
        except (SendError, DomainError) as exc:
            problem = str(getattr(exc, "message", exc))
    with transaction.atomic():
        row, _created = PlatformConfig.objects.get_or_create(platform=platform.key)
        audit.record(
            "workim.config.tested",
            row,
            actor=actor,
            data={"platform": platform.key, "ok": not problem, "problem": problem[:300]},
        )
    return problem


# --- people's choice ------------------------------------------------------------------------


def receives_im(user: User) -> bool:
    pref = ImPreference.objects.filter(user=user).first()
    return pref.receive if pref else True


def set_im_preference(*, actor: User, receive: bool, todos: bool | None = None) -> None:
    """Switch the actor's work IM messages on or off, and (when given) whether their action
    items become to-dos there (todos.py; the ones already there keep following their item)."""
    wanted = {"receive": receive} if todos is None else {"receive": receive, "todos": todos}
    with transaction.atomic():
        pref, _created = ImPreference.objects.select_for_update().get_or_create(user=actor)
        changed = {k: v for k, v in wanted.items() if getattr(pref, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(pref, name, value)
            pref.save(update_fields=[*changed, "updated_at"])
            audit.record("workim.preference.changed", actor, actor=actor, data=changed)


# --- one-time values ------------------------------------------------------------------------


def issue_state(platform: Platform, *, next_url: str) -> str:
    """A new sign-in `state`, kept on the server (not only in the session: the WeCom desktop
    client comes back in a new browser session, reference §1.4)."""
    value = secrets.token_urlsafe(24)
    Nonce.objects.create(
        kind="state",
        value=value,
        data={"platform": platform.key, "next": next_url},
        expires_at=timezone.now() + timedelta(minutes=STATE_MINUTES),
    )
    return value


def take_state(platform: Platform, state: str) -> dict[str, Any]:
    """Use a sign-in state once; its data. CallbackRefused when unknown, used or expired."""
    now = timezone.now()
    with transaction.atomic():
        nonce = (
            Nonce.objects.select_for_update()
            .filter(kind="state", value=state or "-", used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if nonce is None or nonce.data.get("platform") != platform.key:
            raise CallbackRefused("unknown, used or expired sign-in state", "bad_state")
        nonce.used_at = now
        nonce.save(update_fields=["used_at"])
    return dict(nonce.data)


def claim_once(kind: str, value: str, *, seconds: int) -> bool:
    """Record that `value` was seen; False when it was seen before (a replayed callback)."""
    try:
        with transaction.atomic():
            Nonce.objects.create(
                kind=kind[:20],
                value=value[:200],
                expires_at=timezone.now() + timedelta(seconds=seconds),
            )
    except IntegrityError:
        return False
    return True


def forget_expired_nonces() -> int:
    count, _rows = Nonce.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


# --- sign-in --------------------------------------------------------------------------------


def linked_person(platform: Platform, user_id: str) -> User:
    """The account linked to the platform user id by directory sync.

    Raises DomainError `im_not_linked` when no account is linked, `account_disabled` when
    it is switched off."""
    links = ExternalIdentity.objects.select_related("user").filter(provider=platform.key)
    link = links.filter(external_id=user_id).first()
    if link is None:
        # WeCom user ids are case-insensitive (reference §0).
        link = links.filter(external_id__iexact=user_id).first()
    if link is None:
        raise DomainError(
            _(
                "Your %(platform)s account is not linked to a MeetOps account yet. "
                "Ask an administrator to sync the directory."
            )
            % {"platform": platform.label},
            "im_not_linked",
            platform=platform.key,
        )
    if not link.user.is_active:
        raise DomainError(
            _("Your MeetOps account is switched off."), "account_disabled", platform=platform.key
        )
    ExternalIdentity.objects.filter(pk=link.pk).update(last_login_at=timezone.now())
    return link.user
