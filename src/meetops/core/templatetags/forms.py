"""`{% csrf_token %}` that also says which page the form is on (core.refill, ADR 0034).

Installed as a template builtin (settings.TEMPLATES), so every POST form of every full page
carries `meetops_back` beside its CSRF token without its template naming it: when a refused
form arrives without a same-site `Referer`, the error boundary still knows the page to send the
person back to, with their input. Fragments (htmx) and re-rendered POST answers name no page:
their forms keep their input in the browser or in a bound form.
"""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from meetops.core.refill import BACK_FIELD

register = template.Library()


class _TokenAndPage(CsrfTokenNode):
    def render(self, context: Context) -> str:
        token = super().render(context)
        request = context.get("request")
        if not token or request is None or request.method != "GET":
            return token
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.boosted:
            return token
        return token + format_html(
            '<input type="hidden" name="{}" value="{}">', BACK_FIELD, request.get_full_path()
        )


@register.tag
def csrf_token(parser: template.base.Parser, token: template.base.Token) -> _TokenAndPage:
    return _TokenAndPage()
