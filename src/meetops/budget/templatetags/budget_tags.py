"""`{{ amount|money }}` for the budget's templates: core's one money format (core.numbers)."""

from __future__ import annotations

from django import template

from meetops.core.templatetags.numbers import money

register = template.Library()
register.filter("money", money)
