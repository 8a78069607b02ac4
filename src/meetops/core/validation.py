"""The one validation layer for dates, times and money that people type in.

A date far outside any meeting's life (year 1 or year 9999) is accepted by
Python and the database but breaks later: converting 9999-12-31T22:00Z to
Beijing time overflows, and every page that shows the row answers 500. Money
with 40 digits or an exponent of a million breaks `quantize`. So every value a
user can enter passes one of these, whichever interface it came through:

- API schemas use the annotated types `SaneDatetime`, `SaneDate`, `Money`
  (pydantic): out of range is a 422 naming the field (`invalid_date`,
  `invalid_amount`).
- Forms use `SaneDateTimeField`, `SaneDateField`, `MoneyField`: a translated
  field error.
- Services call `check_datetime(value, field=...)` / `check_date` /
  `check_money`, the last guard, raising `ValidationFailed` with the same codes.

The window is `MEETOPS_DATE_MIN_YEAR` … `MEETOPS_DATE_MAX_YEAR` (1970 … 2100 by
default), read from settings on every call so tests can narrow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from meetops.core.errors import ValidationFailed
from meetops.core.numbers import NumberField, parse_number, parse_quantity, quantity_problem

# 12 digits, 2 of them after the point: up to 9 999 999 999.99, the columns' size.
MONEY_DIGITS = 12
MONEY_PLACES = 2
MONEY_MAX = Decimal(10 ** (MONEY_DIGITS - MONEY_PLACES)) - Decimal("0.01")


def date_window() -> tuple[date, date]:
    """The first and last day a user may enter, from settings."""
    return (
        date(settings.MEETOPS_DATE_MIN_YEAR, 1, 1),
        date(settings.MEETOPS_DATE_MAX_YEAR, 12, 31),
    )


def in_window(value: date | datetime) -> bool:
    low, high = date_window()
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                return False
        return low <= value.date() <= high
    return low <= value <= high


def date_problem() -> str:
    low, high = date_window()
    return gettext("Enter a date between %(low)s and %(high)s.") % {
        "low": low.isoformat(),
        "high": high.isoformat(),
    }


def field_error(field: str, problem: str, code: str) -> ValidationFailed:
    """A 422 in the same shape as a schema's field errors: `details.fields[{field, problem, type}]`."""
    return ValidationFailed(
        problem, code, field=field, fields=[{"field": field, "problem": problem, "type": code}]
    )


def field_message(label: Any, problem: Any) -> str:
    """ "Held at: cannot be in the future." — a refused field by its label, and why."""
    return gettext("%(field)s: %(problem)s") % {"field": label, "problem": problem}


def label_of(model: type[Model] | None, name: str, labels: Mapping[str, Any] | None = None) -> str:
    """What a person calls the field `name`: `labels`, else the model field's verbose name."""
    if labels and name in labels:
        return str(labels[name])
    if model is not None:
        for candidate in (name, name.removesuffix("_id")):
            try:
                return str(getattr(model._meta.get_field(candidate), "verbose_name", name))
            except FieldDoesNotExist:
                continue
    return name


def fields_refused(
    message: Any,
    code: str,
    problems: Mapping[str, Any],
    *,
    model: type[Model] | None = None,
    labels: Mapping[str, Any] | None = None,
) -> ValidationFailed:
    """One refusal that names every field and why, never a bare "some fields are not valid".

    `message` says what was refused ("The drill was not recorded."); each field follows with
    its reason: "The drill was not recorded. Held at: cannot be in the future." `details`
    keep `fields` (the names, as before) and add `problems` [{field, problem}] so a page can
    put each reason beside its field (core.web.errors_onto).
    """
    named = [field_message(label_of(model, name, labels), why) for name, why in problems.items()]
    return ValidationFailed(
        " ".join([str(message), *named]),
        code,
        fields=list(problems),
        problems=[{"field": name, "problem": str(why)} for name, why in problems.items()],
    )


def required_problem() -> str:
    return gettext("This is required.")


def choice_problem() -> str:
    return gettext("Choose one of the options.")


def check_datetime(value: datetime | None, *, field: str) -> datetime | None:
    """`value` unchanged, or ValidationFailed `invalid_date` naming `field`."""
    if value is not None and not in_window(value):
        raise field_error(field, date_problem(), "invalid_date")
    return value


def check_date(value: date | None, *, field: str) -> date | None:
    """`value` unchanged, or ValidationFailed `invalid_date` naming `field`."""
    if value is not None and not in_window(value):
        raise field_error(field, date_problem(), "invalid_date")
    return value


def is_money(value: Decimal) -> bool:
    return value.is_finite() and abs(value) <= MONEY_MAX and -value.as_tuple().exponent <= 2  # type: ignore[operator]


def money_problem() -> str:
    return gettext("Enter an amount of at most %(digits)s digits with %(places)s decimals.") % {
        "digits": MONEY_DIGITS,
        "places": MONEY_PLACES,
    }


def check_money(value: Decimal | None, *, field: str) -> Decimal | None:
    """`value` unchanged, or ValidationFailed `invalid_amount` naming `field`."""
    if value is not None:
        try:
            ok = is_money(Decimal(value))
        except (InvalidOperation, ValueError, TypeError):
            ok = False
        if not ok:
            raise field_error(field, money_problem(), "invalid_amount")
    return value


# --- pydantic (API schemas) ------------------------------------------------------


def _sane_datetime(value: datetime) -> datetime:
    if not in_window(value):
        raise PydanticCustomError("invalid_date", date_problem())
    return value


def _sane_date(value: date) -> date:
    if not in_window(value):
        raise PydanticCustomError("invalid_date", date_problem())
    return value


def _sane_year(value: int) -> int:
    low, high = date_window()
    if not low.year <= value <= high.year:
        raise PydanticCustomError("invalid_date", date_problem())
    return value


def _money(value: Any, handler: ValidatorFunctionWrapHandler) -> Decimal:
    # Text is read as people write it ("2,000", "２０００"); whatever pydantic then objects to
    # (NaN, "1e999999", 40 digits, negative) is one error type.
    if isinstance(value, str):
        value = parse_number(value)
        if value is None:
            raise PydanticCustomError("invalid_amount", money_problem())
    try:
        amount = handler(value)
    except PydanticValidationError as exc:
        raise PydanticCustomError("invalid_amount", money_problem()) from exc
    if not amount.is_finite() or abs(amount) > MONEY_MAX:
        raise PydanticCustomError("invalid_amount", money_problem())
    return amount


_WINDOW_NOTE = "Between MEETOPS_DATE_MIN_YEAR and MEETOPS_DATE_MAX_YEAR (1970-2100 by default)."

SaneDatetime = Annotated[
    datetime, AfterValidator(_sane_datetime), Field(json_schema_extra={"x-window": _WINDOW_NOTE})
]
SaneDate = Annotated[
    date, AfterValidator(_sane_date), Field(json_schema_extra={"x-window": _WINDOW_NOTE})
]
# A calendar year inside the window (a report "for 2026").
SaneYear = Annotated[int, AfterValidator(_sane_year)]
# A non-negative, finite amount in CNY up to 9 999 999 999.99: what no column can hold is
# refused here. The cents (at most 2 decimals) stay the service's rule, which names the
# row it is in (budget: 422 `invalid_rows`), as it always has.
Money = Annotated[
    Decimal,
    Field(ge=0, le=MONEY_MAX),
    # After the constraints, so that their errors too become `invalid_amount`.
    WrapValidator(_money),
]


def _quantity(value: Any) -> Any:
    if isinstance(value, str):
        number = parse_quantity(value)
        if number is None:
            raise PydanticCustomError("invalid_quantity", quantity_problem())
        return number
    return value


# A count of things, 0 or more; text is read as people write it ("1,200", "１２").
Quantity = Annotated[int, BeforeValidator(_quantity)]
# Pydantic types whose validator is one of ours: the proof test looks for these.
SANE_VALIDATORS = (_sane_datetime, _sane_date)


# --- Django forms (pages) ------------------------------------------------------------


def validate_sane_date(value: date | datetime) -> None:
    """A Django validator: a translated field error outside the window."""
    if value is not None and not in_window(value):
        raise DjangoValidationError(date_problem(), code="invalid_date")


def validate_money(value: Decimal) -> None:
    try:
        ok = value is None or is_money(Decimal(value))
    except (InvalidOperation, ValueError, TypeError):
        ok = False
    if not ok:
        raise DjangoValidationError(money_problem(), code="invalid_amount")


class SaneDateTimeField(forms.DateTimeField):
    default_validators = [validate_sane_date]


class SaneDateField(forms.DateField):
    default_validators = [validate_sane_date]


class MoneyField(NumberField):
    """An amount of CNY; reads "2,000" and "２０００" like every number field (core.numbers)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MONEY_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_PLACES)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        self.validators.append(validate_money)


# --- reading rows stored before the window existed ----------------------------------


def safe_localtime(value: datetime) -> datetime:
    """`timezone.localtime`, but a stored value at the edge of time stays in UTC, never 500."""
    try:
        return timezone.localtime(value)
    except OverflowError:
        return value.astimezone(UTC)


def shifted(value: datetime, delta: timedelta) -> datetime:
    """`value + delta`, held at the first or last representable moment instead of overflowing."""
    try:
        return value + delta
    except OverflowError:
        edge = datetime.max if delta > timedelta(0) else datetime.min
        return edge.replace(tzinfo=value.tzinfo)


def safe_template_localtime(value: Any, use_tz: bool | None = None) -> Any:
    """Django's `template_localtime`, with `safe_localtime`'s fallback."""
    try:
        return timezone.template_localtime(value, use_tz)  # type: ignore[attr-defined]
    except OverflowError:
        return value.astimezone(UTC)


__all__ = [
    "Money",
    "MoneyField",
    "Quantity",
    "SaneDate",
    "SaneDateField",
    "SaneDateTimeField",
    "SaneDatetime",
    "SaneYear",
    "check_date",
    "check_datetime",
    "check_money",
    "date_window",
    "safe_localtime",
    "shifted",
]
