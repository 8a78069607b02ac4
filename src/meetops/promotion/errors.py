"""Error codes of announcements."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, ValidationFailed


def cannot_announce() -> DomainError:
    return DomainError(
        _("A closed, cancelled or confidential meeting cannot be announced."), "cannot_announce"
    )


def no_audience() -> ValidationFailed:
    return ValidationFailed(
        _("Choose at least one audience: a department, a group or the public page."),
        "no_audience",
        field="departments",
    )


def no_channel() -> ValidationFailed:
    return ValidationFailed(
        _("Choose at least one channel for the departments and groups."),
        "no_channel",
        field="channels",
    )


def unknown_channel(channel: str) -> ValidationFailed:
    return ValidationFailed(
        _("This channel is not available."), "unknown_channel", field="channels", channel=channel
    )


def not_public() -> ValidationFailed:
    return ValidationFailed(
        _("Only a public meeting has a public page."), "not_public", field="public_page"
    )


def group_not_usable() -> ValidationFailed:
    return ValidationFailed(
        _("You may not use one of the chosen groups."), "unknown_group", field="groups"
    )


def blank(field: str) -> ValidationFailed:
    return ValidationFailed(_("This field is required."), "required", field=field)


def im_alone() -> ValidationFailed:
    return ValidationFailed(
        _("Work IM goes with the bell or e-mail: choose one of them too."),
        "im_needs_bell_or_email",
        field="channels",
    )
