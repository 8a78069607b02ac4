"""Error codes of budgets, expenses and supplies (messages translated; callers match on the code)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, ValidationFailed


class InvalidLines(ValidationFailed):
    """Some budget or checklist rows are not acceptable; `details["rows"]` says which and why."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__(_("Some rows are not valid."), "invalid_rows", rows=rows)


def frozen() -> DomainError:
    return DomainError(_("A closed or cancelled meeting cannot be changed."), "meeting_frozen")


def wrong_status(status: str, *expected: str) -> DomainError:
    return DomainError(
        _("The budget is not in a state that allows this."),
        "budget_wrong_status",
        status=status,
        expected=list(expected),
    )


def wrong_settlement(status: str, *expected: str) -> DomainError:
    return DomainError(
        _("The settlement is not in a state that allows this."),
        "settlement_wrong_status",
        status=status,
        expected=list(expected),
    )


def reason_required() -> ValidationFailed:
    return ValidationFailed(
        _("An approved budget can only be changed as a new revision, with a reason."),
        "revision_reason_required",
    )


def comment_required() -> ValidationFailed:
    return ValidationFailed(_("Say why it is returned."), "comment_required")


def empty_budget() -> ValidationFailed:
    return ValidationFailed(_("A budget needs at least one line."), "budget_empty")


def self_approval() -> DomainError:
    return DomainError(_("The person who submitted it cannot also approve it."), "self_approval")


def not_approved() -> DomainError:
    return DomainError(
        _("Expenses can be recorded only against an approved budget."), "budget_not_approved"
    )


def settlement_locked() -> DomainError:
    return DomainError(
        _("The settlement has been submitted; no more expenses can be recorded."),
        "settlement_locked",
    )


def over_budget_reason_required(**details: Any) -> ValidationFailed:
    return ValidationFailed(
        _("This expense goes over the budget: give a reason."),
        "over_budget_reason_required",
        **details,
    )


def line_has_expenses(line_id: int) -> DomainError:
    return DomainError(
        _("A budget line with expenses cannot be removed."), "line_has_expenses", line_id=line_id
    )


def bad_receipt() -> ValidationFailed:
    return ValidationFailed(
        _("A receipt must be a PDF, an image (PNG, JPEG) or an office document, at most 10 MB."),
        "invalid_receipt",
    )


def void_reason_required() -> ValidationFailed:
    return ValidationFailed(_("Say why the expense is voided."), "void_reason_required")


def already_voided() -> DomainError:
    return DomainError(_("This expense is already voided."), "expense_voided")
