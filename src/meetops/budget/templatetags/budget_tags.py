"""`{{ amount|money }}`: a CNY amount with grouping and two places, in the reader's locale."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    if value is None or value == "":
        return ""
    amount = number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
    return _("¥%(amount)s") % {"amount": amount}


@register.filter
def may_read_budget(user: Any, meeting: Any) -> bool:
    """For links from other apps' pages: `{% if user|may_read_budget:meeting %}`."""
    from meetops.budget.permissions import can_view_budget

    return can_view_budget(user, meeting)
