"""Charts drawn on the server as inline SVG: no script, no CDN, prints well."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 18, 6, 160, 320


def bar_chart(
    items: list[tuple[str, float]], *, unit: str = "", maximum: float = 100.0
) -> SafeString:
    """Horizontal bars, one per (label, value); values are clipped to [0, maximum]."""
    if not items:
        return mark_safe("")
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 70
    parts = [
        f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, (label, value) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        clipped = max(0.0, min(float(value), maximum))
        length = round(BAR_WIDTH * clipped / maximum, 1) if maximum else 0
        text = escape(label if len(label) <= 18 else label[:17] + "…")
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end" font-size="12">{text}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="#eef1f5"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="#3b6ea5"><title>{escape(label)}: {value}{escape(unit)}</title></rect>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + BAR_HEIGHT - 5}" font-size="12">{value}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
