"""Tables of repeated fields (budget lines, a supplies checklist): kept as typed when refused.

A page with one row per thing posts each column as a repeated field (`planned`, `planned`, …).
When anything in it is refused, the person must get the same table back, every cell as they
typed it, with the refused cells marked and a line per problem naming the row as they see
it and the column: "Row 2, Amount: Enter a number, such as 2000." (`core.numbers.row_message`).

    rows = TypedRows(request.POST, ["line_id", "category", "planned", "note"], labels=LABELS)
    payload = [
        {"category": row.cell("category"), "planned": rows.number(row, "planned")}
        for row in rows.filled("category", "planned")
    ]
    if rows.ok:
        with rows.refusals():          # a service's DomainError lands on the rows it names
            services.save(..., lines=payload)
            return redirect(...)
    return render(..., {"rows": rows}, status=422)

The service's `details["rows"]` (`index` into what it was sent, `field`) is mapped back to the
row on the page, so blank rows skipped in between do not shift the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.http import QueryDict

from meetops.core.errors import DomainError
from meetops.core.numbers import (
    number_problem,
    parse_number,
    parse_quantity,
    quantity_problem,
    row_message,
)

T = TypeVar("T")


@dataclass
class TypedRow:
    """One row of the table: its place as the person sees it (from 1), its cells as typed."""

    position: int
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    # Not `__getitem__`: templates look `row.values` up as `row["values"]` first.
    def cell(self, key: str) -> Any:
        return self.values.get(key, "")


class TypedRows:
    """The rows of a posted table, blank ones included, with the problems found in them."""

    def __init__(
        self,
        data: QueryDict | None,
        columns: Sequence[str],
        *,
        labels: Mapping[str, Any],
        checkboxes: Sequence[str] = (),
        rows: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        """From a POST (`data`), or from stored `rows` (a page's first showing)."""
        self.labels = labels
        self.general: list[str] = []
        self.sent: list[TypedRow] = []
        if data is None:
            self.rows = [
                TypedRow(i + 1, {k: _text(row.get(k)) for k in (*columns, *checkboxes)})
                for i, row in enumerate(rows)
            ]
            return
        lists = {name: data.getlist(name) for name in columns}
        ticked = {name: set(data.getlist(name)) for name in checkboxes}
        count = max((len(values) for values in lists.values()), default=0)
        self.rows = []
        for i in range(count):
            values: dict[str, Any] = {
                name: values[i] if i < len(values) else "" for name, values in lists.items()
            }
            # A ticked box posts its row's index (0-based), the only way to tie it to the row.
            values.update({name: str(i) in ticked[name] for name in checkboxes})
            self.rows.append(TypedRow(i + 1, values))

    def add_blank(self, count: int) -> None:
        """Empty rows after the others, to type new ones into."""
        start = len(self.rows)
        self.rows.extend(TypedRow(start + i + 1, {}) for i in range(count))

    def filled(self, *columns: str) -> list[TypedRow]:
        """The rows with something typed in any of `columns`: the ones sent to the service."""
        self.sent = [row for row in self.rows if any(str(row.cell(c)).strip() for c in columns)]
        return self.sent

    def refuse(self, row: TypedRow, name: str, problem: Any) -> None:
        row.errors.setdefault(name, str(problem))

    def number(self, row: TypedRow, name: str) -> Decimal | None:
        """The cell read as a number ("2,000", "２０００"); a blank is None; else the row is refused."""
        return self._read(row, name, parse_number, number_problem)

    def quantity(self, row: TypedRow, name: str) -> int | None:
        """The cell read as a whole number, 0 or more; a blank is None; else the row is refused."""
        return self._read(row, name, parse_quantity, quantity_problem)

    def _read(
        self, row: TypedRow, name: str, parse: Callable[[str], T | None], problem: Callable[[], str]
    ) -> T | None:
        text = str(row.cell(name)).strip()
        if not text:
            return None
        value = parse(text)
        if value is None:
            self.refuse(row, name, problem())
        return value

    @property
    def ok(self) -> bool:
        return not self.general and not any(row.errors for row in self.rows)

    @property
    def messages(self) -> list[str]:
        """Every problem, the table's own first, then each refused cell by row and column."""
        lines = list(self.general)
        for row in self.rows:
            for name, problem in row.errors.items():
                lines.append(row_message(row.position, self.labels.get(name, name), problem))
        return lines

    def take(self, exc: DomainError) -> None:
        """Put a service's refusal on the rows and cells it names, or above the table."""
        named = [r for r in exc.details.get("rows") or [] if isinstance(r, Mapping)]
        placed = False
        for problem in named:
            index, name = problem.get("index"), problem.get("field")
            if isinstance(index, int) and 0 <= index < len(self.sent) and name in self.labels:
                self.refuse(self.sent[index], str(name), problem.get("message", exc.message))
                placed = True
            elif "message" in problem:
                self.general.append(str(problem["message"]))
                placed = True
        if not placed:
            self.general.append(str(exc.message))

    @contextmanager
    def refusals(self) -> Iterator[None]:
        """Catch a service's refusal of the input and keep it on the table (not 403/404)."""
        try:
            yield
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            self.take(exc)


def _text(value: Any) -> Any:
    if value is None:
        return ""
    return value if isinstance(value, bool) else str(value)
