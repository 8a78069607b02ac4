"""`{{ amount|money }}` for the budget's templates: core's one money format (core.numbers);
`{% supplier_payments supplier user as payments %}` for the supplier page's slot."""

from __future__ import annotations

from typing import Any

from django import template

from meetops.budget.selectors import payments_to
from meetops.core.templatetags.numbers import money

register = template.Library()
register.filter("money", money)


@register.simple_tag
def supplier_payments(supplier: Any, user: Any) -> list[Any]:
    return payments_to(supplier, user)
