"""`{{ amount|money }}` (see budget.money) and `{% if user|may_read_budget:meeting %}` for links."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from meetops.budget.money import format_money

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    return format_money(value)


@register.filter
def may_read_budget(user: Any, meeting: Any) -> bool:
    """For links from other apps' pages: `{% if user|may_read_budget:meeting %}`."""
    from meetops.budget.permissions import can_view_budget

    return can_view_budget(user, meeting)
