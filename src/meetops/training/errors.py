"""Error codes of training."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.validation import fields_refused


def invalid(problems: Mapping[str, Any], code: str = "invalid_input") -> ValidationFailed:
    """Each refused field by name with its reason (core.validation.fields_refused)."""
    return fields_refused(_("Not saved."), code, problems, labels=LABELS)


def bad_certificate() -> ValidationFailed:
    return invalid(
        {"certificate": gettext("Upload a PDF, PNG or JPEG file of at most 10 MB.")},
        code="bad_certificate",
    )


def bad_material() -> ValidationFailed:
    return invalid(
        {"file": gettext("Upload a PDF, office document, image or text file of at most 50 MB.")},
        code="bad_material",
    )


def too_long(limit: int) -> str:
    return gettext("Too long (at most %(max)d characters).") % {"max": limit}


def record_state(status: str) -> DomainError:
    return DomainError(
        _("This training record was already verified or not accepted."),
        "record_state",
        status=status,
    )


def self_verification() -> PermissionDenied:
    return PermissionDenied(
        _("A training record is verified by someone other than the person it is about."),
        "self_verification",
    )


def certificate_missing() -> DomainError:
    return DomainError(
        _("Upload the certificate before the record is verified."), "certificate_missing"
    )


def not_a_training() -> ValidationFailed:
    return ValidationFailed(
        _("Only a meeting of the kind “training” can be held as a course."), "not_a_training"
    )


LABELS = {
    "title": _("training"),
    "issuer": _("issued by"),
    "completed_on": _("completed on"),
    "hours": _("hours"),
    "needs": _("needs it meets"),
    "certificate": _("certificate"),
    "file": _("file"),
    "name_zh_hans": _("name (Simplified Chinese)"),
    "refresher_months": _("refresher after (months)"),
    "duty": _("duty"),
    "person": _("person"),
    "note": _("note"),
}
