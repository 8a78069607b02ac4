"""What filing a meeting takes from budget for the archive (P4.1): the budget and expense statement, and the receipts."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from meetops.budget.exports import statement_xlsx
from meetops.budget.selectors import budget_of, statement_of
from meetops.core.archive import Found, file_ext, read_field
from meetops.meetings.models import Meeting
from meetops.people.models import User


def budget(meeting: Meeting, actor: User) -> Iterator[Found]:
    found = budget_of(meeting)
    if found is None:
        return
    yield Found(
        "budget.statement",
        "finance",
        _("Budget and expense statement"),
        "xlsx",
        lambda: statement_xlsx(meeting, statement_of(meeting)),
    )
    for expense in found.expenses.filter(voided_at__isnull=True).exclude(receipt=""):
        title = _("Receipt: %(payee)s") % {"payee": expense.payee}
        field = expense.receipt
        yield Found(
            f"budget.receipt:{expense.pk}",
            "finance",
            title,
            file_ext(field.name),
            lambda field=field: read_field(field),  # type: ignore[misc]
        )
