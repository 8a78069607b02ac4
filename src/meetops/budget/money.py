"""How an amount of CNY is shown: grouped, two places, in the reader's locale, sign first.

Django's Chinese formats name no thousands separator; Chinese financial statements group by
thousands with a comma, so that (every three digits) is used where the locale names none.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _


def format_money(value: Decimal | str | None) -> str:
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
    return ("-" if amount < 0 else "") + _("¥%(amount)s") % {"amount": text}
