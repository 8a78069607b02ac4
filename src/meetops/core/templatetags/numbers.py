"""`{{ amount|money }}` (¥2,000.00) and `{{ seconds|duration }}` (12 min 3 s) for every app's pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from meetops.core.numbers import format_duration, format_money

register = template.Library()


@register.filter
def money(value: Decimal | int | str | None) -> str:
    return format_money(value)


@register.filter
def duration(seconds: int | float | None) -> str:
    return format_duration(seconds)
