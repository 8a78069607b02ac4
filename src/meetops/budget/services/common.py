"""Guards and input cleaning shared by the budget services."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from meetops.budget import errors
from meetops.budget.models import Budget
from meetops.core.numbers import parse_number
from meetops.core.validation import is_money
from meetops.meetings.models import Meeting, frozen_q

MAX_AMOUNT = Decimal("9999999999.99")
CENT = Decimal("0.01")


def lock_budget(meeting: Meeting) -> Budget:
    """The meeting's budget row, created if missing, locked for this transaction.

    Every write to a budget, its lines or its expenses takes this lock first, so writes of
    one meeting's money run one at a time and each sees the others' rows.
    """
    if Meeting.objects.filter(frozen_q(), pk=meeting.pk).exists():
        raise errors.frozen()
    Budget.objects.get_or_create(meeting=meeting)
    return Budget.objects.select_for_update().get(meeting=meeting)


def problem(index: int | None, field: str, code: str, message: str) -> dict[str, Any]:
    return {"index": index, "field": field, "code": code, "message": message}


def money(value: Any, *, allow_zero: bool) -> Decimal | None:
    """A CNY amount with at most two decimal places, or None when it is not one."""
    # Read as people write it ("2,000", "２０００"): the one number parser of core.
    amount = parse_number(str(value) if isinstance(value, float) else value)
    if amount is None:
        return None
    # The size first: quantizing 1e999999 raises instead of answering.
    if not is_money(amount) or amount > MAX_AMOUNT:
        return None
    if amount < 0 or (amount == 0 and not allow_zero):
        return None
    return amount.quantize(CENT)


def amount_problem(index: int | None, field: str) -> dict[str, Any]:
    return problem(
        index,
        field,
        "invalid_amount",
        _("Give an amount in yuan with at most two decimal places."),
    )


def clean_texts(
    row: Mapping[str, Any], limits: Mapping[str, int], index: int | None
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The row's text fields stripped, and a `too_long` problem for each over its limit."""
    texts, problems = {}, []
    for key, limit in limits.items():
        texts[key] = str(row.get(key) or "").strip()
        if len(texts[key]) > limit:
            message = _("Too long (at most %(max)d characters).") % {"max": limit}
            problems.append(problem(index, key, "too_long", message))
    return texts, problems
