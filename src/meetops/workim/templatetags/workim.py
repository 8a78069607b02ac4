"""`{% im_status as im %}`: the person's linked work IM platforms and their choice."""

from __future__ import annotations

from typing import Any

from django import template

from meetops.workim import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def im_status(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"platforms": [], "receive": False}
    return selectors.im_status(user)
