"""Error codes of lessons, improvement measures and cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.validation import fields_refused


def invalid(problems: Mapping[str, Any], model: type[Model] | None = None) -> ValidationFailed:
    """Each refused field by name with its reason (core.validation.fields_refused)."""
    return fields_refused(_("Not saved."), "invalid_input", problems, model=model)


def too_long(limit: int) -> str:
    return gettext("Too long (at most %(max)d characters).") % {"max": limit}


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


def source_not_a_problem() -> ValidationFailed:
    return ValidationFailed(
        _(
            "This shows no problem to learn from: choose a comment, a low rating, an indicator "
            "not met, an acceptance with problems or a drill that showed something."
        ),
        "source_not_a_problem",
    )


def source_elsewhere() -> ValidationFailed:
    return ValidationFailed(
        _("The source belongs to another meeting."), "source_elsewhere", fields=["source"]
    )
