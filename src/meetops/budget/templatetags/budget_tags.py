"""`{{ amount|money }}` (see budget.money)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from meetops.budget.money import format_money

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    return format_money(value)
