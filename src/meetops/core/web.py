"""Small helpers the server-rendered pages share: htmx fragments and paginated lists."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def htmx_template(request: HttpRequest, page: str, fragment: str) -> str:
    """The fragment for an htmx request (not a boosted page load), else the whole page."""
    htmx = getattr(request, "htmx", None)
    return fragment if htmx and not htmx.boosted else page


def paginated(request: HttpRequest, items: QuerySet[Any], per_page: int) -> dict[str, Any]:
    """`page` for the `?page=` asked for, and `query`: the other parameters, for page links."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": Paginator(items, per_page).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
