"""`{% sign_in_providers as buttons %}`: the login page's single sign-on buttons."""

from __future__ import annotations

from typing import Any

from django import template

from meetops.identity.sso import login_buttons

register = template.Library()


@register.simple_tag(takes_context=True)
def sign_in_providers(context: dict[str, Any], next_url: str = "") -> list[dict[str, str]]:
    request = context.get("request")
    if request is None:
        return []
    return login_buttons(request, next_url=next_url or "")
