"""Numbers people type, and how amounts and durations are shown: one home for every app.

People type money and counts the way they write them on paper: "2,000", "2 000", full-width
"２０００" from a Chinese input method, "2，000" with the full-width comma. `parse_number`
reads all of these as 2000 and refuses what is ambiguous ("1,5" — a decimal comma or a typo?)
rather than guess. Every form field, API type and service that takes an amount or a quantity
reads it through here (`NumberField`, `QuantityField`, `core.validation.Money`, `parse_quantity`).

Shown the other way: `format_money` (¥, grouped by thousands, the reader's locale) and
`format_duration` ("12 分 3 秒" / "12 min 3 s"), the `money` and `duration` template filters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext, gettext_lazy, ngettext

# Thin, no-break and narrow no-break spaces and the apostrophe (Swiss "2'000") group digits too.
_GROUP_MARKS = ", \u00a0\u2009\u202f'"
# Plain digits with an optional fraction, or digits grouped by threes with one kind of mark.
_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?")
_GROUPED = re.compile(
    r"[+-]?\d{1,3}(?P<mark>[" + re.escape(_GROUP_MARKS) + r"])\d{3}((?P=mark)\d{3})*(\.\d+)?"
)


def _normalised(text: str) -> str:
    # NFKC turns full-width digits, comma, point and the ideographic space into ASCII ones.
    return unicodedata.normalize("NFKC", text).strip().replace("\u3000", " ")


def parse_number(value: Any) -> Decimal | None:
    """The number `value` writes, or None when it is no number (or an ambiguous one).

    Accepts an int or a Decimal as it is, and text such as "2000", "2,000.50", "2 000",
    "２０００", "2，000" and "¥2,000". Refuses a bool, a float's noise ("1e5"), "1,5" and "1,00,0".
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value) if Decimal(value).is_finite() else None
    if not isinstance(value, str):
        return None
    text = _normalised(value).removeprefix("¥").removeprefix("￥").strip()
    if len(text) > 40:
        return None
    if _PLAIN.fullmatch(text) is None:
        if _GROUPED.fullmatch(text) is None:
            return None
        for mark in _GROUP_MARKS:
            text = text.replace(mark, "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_quantity(value: Any) -> int | None:
    """A whole number of things (0 or more), as `parse_number` reads it, or None."""
    number = parse_number(value)
    if number is None or number != number.to_integral_value() or number < 0:
        return None
    return int(number)


def number_problem() -> str:
    return gettext("Enter a number, such as 2000.")


def quantity_problem() -> str:
    return gettext("Enter a whole number, such as 20.")


def row_message(position: int, label: Any, problem: Any) -> str:
    """ "Row 2, Amount: Enter a number, such as 2000." — a refused cell of a table, by its row and column."""
    return gettext("Row %(row)d, %(field)s: %(problem)s") % {
        "row": position,
        "field": label,
        "problem": problem,
    }


# --- Django form fields ---------------------------------------------------------------


T = TypeVar("T")


def _read(field: forms.Field, value: Any, parse: Callable[[Any], T | None]) -> T | None:
    """A form field's value through `parse`: empty is None, unreadable is its "invalid" error."""
    if value in field.empty_values:
        return None
    number = parse(value)
    if number is None:
        raise ValidationError(field.error_messages["invalid"], code="invalid")
    return number


class NumberInput(forms.TextInput):
    """A text box with the numeric keyboard: `type=number` would refuse "2,000" in the browser."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, decimal: bool = True) -> None:
        super().__init__({"inputmode": "decimal" if decimal else "numeric", **(attrs or {})})


class NumberField(forms.DecimalField):
    """A DecimalField that reads "2,000", "2 000" and "２０００" (`parse_number`)."""

    widget = NumberInput
    default_error_messages = {"invalid": gettext_lazy("Enter a number, such as 2000.")}

    # DecimalField derives from IntegerField in Django, whose stub says int.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        return _read(self, value, parse_number)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # DecimalField adds `step` for a number input; a text box takes none.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return attrs


class QuantityField(forms.IntegerField):
    """An IntegerField (0 or more) that reads "1,200" and "１２" (`parse_quantity`)."""

    default_error_messages = {"invalid": gettext_lazy("Enter a whole number, such as 20.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", NumberInput(decimal=False))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        return _read(self, value, parse_quantity)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        for key in ("min", "max", "step"):
            attrs.pop(key, None)
        return attrs


# --- showing numbers ------------------------------------------------------------------


def format_money(value: Decimal | int | str | None) -> str:
    """An amount of CNY: ¥, grouped by thousands, two places, in the reader's locale, sign first.

    Django's Chinese formats name no thousands separator; Chinese financial statements group
    by thousands with a comma, so that (every three digits) is used where the locale names none.
    """
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    separator = get_format("THOUSAND_SEPARATOR")
    text = numberformat.format(
        abs(amount),
        get_format("DECIMAL_SEPARATOR") or ".",
        decimal_pos=2,
        grouping=get_format("NUMBER_GROUPING") if separator else 3,
        thousand_sep=separator or ",",
        force_grouping=True,
    )
    return ("-" if amount < 0 else "") + gettext("¥%(amount)s") % {"amount": text}


def format_duration(seconds: int | float | None) -> str:
    """A span of time as people say it: "12 min 3 s", "1 h 5 min", "40 s" (translated)."""
    if seconds is None:
        return ""
    total = max(round(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d min", "%(n)d min", minutes) % {"n": minutes})
    if secs or not parts:
        parts.append(ngettext("%(n)d s", "%(n)d s", secs) % {"n": secs})
    return " ".join(parts)
