"""Reading a PDF the way a checker with a ruler would: where each text run starts, its size,
its colour, the filled rectangles (rules) and their colour. pypdf only (a dependency)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

MM = 72 / 25.4


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    x_mm: float  # from the left edge
    baseline_mm: float  # from the top edge
    size_pt: float
    fill: tuple[float, ...]


@dataclass(frozen=True)
class Rect:
    page: int
    x_mm: float
    top_mm: float
    width_mm: float
    height_mm: float
    fill: tuple[float, ...]


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _mul(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _read_page(number: int, page: Any, runs: list[Run], rects: list[Rect]) -> None:
    height = float(page.mediabox.height)
    state: dict[str, Any] = {"fill": (0.0, 0.0, 0.0), "stack": []}

    def before(op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        if op == b"q":
            state["stack"].append(state["fill"])
        elif op == b"Q" and state["stack"]:
            state["fill"] = state["stack"].pop()
        elif op == b"rg":
            state["fill"] = tuple(round(float(a), 3) for a in args)
        elif op == b"g":
            state["fill"] = (round(float(args[0]), 3),) * 3
        elif op == b"re":
            x, y, w, h = (float(a) for a in args)
            x0, y0 = _apply(cm, x, y)
            x1, y1 = _apply(cm, x + w, y + h)
            rects.append(
                Rect(
                    number,
                    min(x0, x1) / MM,
                    (height - max(y0, y1)) / MM,
                    abs(x1 - x0) / MM,
                    abs(y1 - y0) / MM,
                    state["fill"],
                )
            )

    def text(t: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not t.strip():
            return
        m = _mul(tm, cm)
        scale = (m[2] ** 2 + m[3] ** 2) ** 0.5
        runs.append(
            Run(number, t.strip(), m[4] / MM, (height - m[5]) / MM, size * scale, state["fill"])
        )

    page.extract_text(visitor_text=text, visitor_operand_before=before)


def read(content: bytes) -> tuple[list[Run], list[Rect], int]:
    """Text runs and filled rectangles of every page, and the number of pages."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    runs: list[Run] = []
    rects: list[Rect] = []
    for number, page in enumerate(reader.pages, start=1):
        _read_page(number, page, runs, rects)
    return runs, rects, len(reader.pages)
