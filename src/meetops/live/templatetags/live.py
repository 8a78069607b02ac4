"""Filters for the room's pages: clock texts and signed minutes."""

from __future__ import annotations

from django import template

from meetops.live.clock import clock_text

register = template.Library()


@register.filter
def clock(seconds: int | None) -> str:
    """`12:05` from seconds (no sign)."""
    return "" if seconds is None else clock_text(seconds)


@register.filter
def minutes(seconds: int | None) -> int:
    """Whole minutes, rounded half up, without the sign."""
    return 0 if not seconds else (abs(int(seconds)) + 30) // 60
