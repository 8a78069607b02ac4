"""Error codes of the supplier register (P10.5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, ValidationFailed
from meetops.core.validation import fields_refused
from meetops.partners.models import Contract, Supplier


def invalid(problems: Mapping[str, Any], model: Any = Supplier) -> ValidationFailed:
    """Each refused field by name with its reason (core.validation.fields_refused)."""
    return fields_refused(_("Not saved."), "invalid_input", problems, model=model)


def credit_code(problem: str) -> ValidationFailed:
    """The unified social credit code is refused, by field and why (`invalid_credit_code`)."""
    if problem == "format":
        why = gettext(
            "must be 18 characters: digits and capital letters other than I, O, S, V and Z, "
            "with digits in places 3 to 8."
        )
    else:
        why = gettext("the check character (the last one) does not match: look for a typo.")
    return fields_refused(
        _("Not saved."), "invalid_credit_code", {"credit_code": why}, model=Supplier
    )


def credit_code_taken() -> ValidationFailed:
    return fields_refused(
        _("Not saved."),
        "credit_code_taken",
        {"credit_code": gettext("another supplier in the register has this code.")},
        model=Supplier,
    )


def contract_number_taken() -> ValidationFailed:
    return fields_refused(
        _("Not saved."),
        "contract_number_taken",
        {"number": gettext("this supplier already has a contract with this number.")},
        model=Contract,
    )


def foreign_contract() -> ValidationFailed:
    """The contract named is not one of this supplier's (or not there at all)."""
    return invalid({"contract_id": gettext("Choose a contract of this supplier.")})


def too_long(limit: int) -> str:
    return gettext("Too long (at most %(max)d characters).") % {"max": limit}


def bad_file() -> ValidationFailed:
    return ValidationFailed(
        _("Attach a PDF, an image or an office document of at most 20 MB."),
        "bad_file",
        field="file",
    )


def already_linked() -> DomainError:
    return DomainError(_("This supplier is already linked to the meeting."), "already_linked")


def not_used() -> DomainError:
    return DomainError(
        _("Only a supplier the meeting used can be rated: link it first."), "supplier_not_used"
    )


def already_rated() -> DomainError:
    return DomainError(
        _("This supplier was already rated for this meeting; its author can change it."),
        "already_rated",
    )


def not_rateable() -> DomainError:
    return DomainError(
        _("Suppliers are rated after the meeting took place and before it is closed."),
        "not_rateable",
    )


def inactive_supplier() -> DomainError:
    return DomainError(_("This supplier is no longer in use."), "supplier_inactive")
