"""Error codes of lessons, improvement measures and cases."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed


def invalid(fields: list[str]) -> ValidationFailed:
    return ValidationFailed(_("Some fields are not valid."), "invalid_input", fields=fields)


def measure_state(status: str, wanted: str) -> DomainError:
    return DomainError(
        _("The measure is not in a state that allows this."),
        "measure_state",
        status=status,
        wanted=wanted,
    )


def case_state(status: str, wanted: str) -> DomainError:
    return DomainError(
        _("The case is not in a state that allows this."),
        "case_state",
        status=status,
        wanted=wanted,
    )


def case_confidential() -> DomainError:
    return DomainError(
        _("Only public or internal meetings can become published cases."), "case_confidential"
    )


def self_approval() -> PermissionDenied:
    return PermissionDenied(
        _("A case is approved by someone other than the person who proposed it."), "self_approval"
    )


def self_review() -> PermissionDenied:
    return PermissionDenied(
        _("The effect of a measure is judged by someone other than its owner."), "self_review"
    )


def not_sharing_session() -> ValidationFailed:
    return ValidationFailed(
        _("A sharing session is a training or conference meeting."), "not_a_sharing_session"
    )
