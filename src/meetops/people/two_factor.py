"""Second factor (django-otp): a TOTP app, and recovery codes shown once.

A device starts unconfirmed when its page is opened and counts only once the person has
typed a code from it; confirming it issues ten recovery codes (a static device). An
administrator's second factor can be reset by the security administrator (`can_manage_roles`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.people.models import User
from meetops.people.permissions import can_manage_roles, two_factor_required

RECOVERY_CODES = 10
DEVICE_NAME = "MeetOps"


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_due(user: User) -> str:
    """What a fresh sign-in owes: "verify" (has a device), "setup" (must have one) or ""."""
    if has_two_factor(user):
        return "verify"
    return "setup" if two_factor_required(user) else ""


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (made on first call; one at a time)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_two_factor(user: User, *, token: str, actor: User) -> list[str]:
    """Confirm the pending TOTP device with a code from it. Returns the recovery codes."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None or not device.verify_token(token.strip()):
            raise ValidationFailed(
                _("That code is not right. Type the six digits your app shows now."),
                "wrong_code",
                field="token",
            )
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit.record("people.two_factor.enabled", user, actor=actor)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def turn_off_two_factor(user: User, *, actor: User) -> None:
    """Remove one's own second factor: only for those it is not required of."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    if two_factor_required(user):
        raise ValidationFailed(
            _("Administrators must keep a second factor (MEETOPS_ADMIN_2FA)."),
            "two_factor_required",
        )
    with transaction.atomic():
        _remove_devices(user)
        audit.record("people.two_factor.disabled", user, actor=actor)


def reset_two_factor(user: User, *, actor: User | None) -> None:
    """Remove another person's second factor (a lost phone). They set it up again next time."""
    if actor is not None and not can_manage_roles(actor):
        raise PermissionDenied()
    with transaction.atomic():
        _remove_devices(user)
        audit.record("people.two_factor.reset", user, actor=actor)


def _remove_devices(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
