"""Rooms to and from Excel (.xlsx).

Import is all-or-nothing: every row is checked, and if any row is wrong
nothing is written and each problem is reported with its row number. Export
neutralises cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import time
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.people.models import User
from meetops.venues.models import Room
from meetops.venues.permissions import can_manage_rooms
from meetops.venues.services.rooms import building_and_floor, create_room, update_room

COLUMNS = [
    "code",
    "name",
    "building",
    "floor",
    "capacity",
    "layout",
    "facilities",
    "requires_approval",
    "buffer_minutes",
    "max_booking_minutes",
    "bookable_days_ahead",
    "open_time",
    "close_time",
    "open_weekdays",
    "release_if_no_checkin_minutes",
    "active",
]
REQUIRED = {"name", "capacity"}
INTEGERS = {
    "capacity",
    "buffer_minutes",
    "max_booking_minutes",
    "bookable_days_ahead",
    "release_if_no_checkin_minutes",
}
BOOLEANS = {"requires_approval", "active"}
TIMES = {"open_time", "close_time"}
TRUE, FALSE = {"1", "true", "yes", "y", "是", "x", "✓"}, {"0", "false", "no", "n", "否", ""}
MAX_ROWS = 5000
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that starts like a formula is prefixed with an apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def export_rooms(rooms: list[Room]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "rooms"
    ws.append(COLUMNS)
    for room in rooms:
        row = {
            **{
                c: getattr(room, c) for c in COLUMNS if c not in ("building", "floor", "facilities")
            },
            "building": room.building.name if room.building else "",
            "floor": room.floor.name if room.floor else "",
            "facilities": ",".join(f.code for f in room.facilities.all()),
        }
        row["open_time"] = room.open_time.strftime("%H:%M") if room.open_time else ""
        row["close_time"] = room.close_time.strftime("%H:%M") if room.close_time else ""
        ws.append([safe_cell("" if row[c] is None else row[c]) for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def _parse(column: str, raw: Any) -> Any:
    text = "" if raw is None else str(raw).strip()
    if column in INTEGERS:
        if text == "":
            return None
        try:
            return int(float(text))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text}) from None
    if column in BOOLEANS:
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return column == "active" and text == ""  # an empty "active" cell means active
        raise ValueError(_("“%(value)s” is not yes or no.") % {"value": text})
    if column in TIMES:
        if isinstance(raw, time):
            return raw
        if text == "":
            return None
        try:
            return time.fromisoformat(text if len(text) > 4 else "0" + text)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a time such as 08:30.") % {"value": text}
            ) from None
    if column == "facilities":
        return [
            c.strip() for c in text.replace("、", ",").replace(";", ",").split(",") if c.strip()
        ]
    return text.removeprefix("'")


def _read_rows(stream: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not .xlsx
        raise ValidationFailed(
            _("The file is not an Excel workbook (.xlsx)."), "invalid_file", field="file"
        ) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(sorted(missing))},
            "invalid_header",
            field="file",
            missing=sorted(missing),
        )
    out = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationFailed(
                _("At most %(n)d rooms per file.") % {"n": MAX_ROWS}, "too_many_rows", field="file"
            )
        if values is None or all(v in (None, "") for v in values):
            continue
        out.append((number, {h: v for h, v in zip(header, values, strict=False) if h in COLUMNS}))
    return out


def import_rooms(stream: IO[bytes], *, actor: User | None) -> ImportResult:
    """Create or update rooms (matched by code) from the first sheet. All rows or none."""
    if actor is not None and not can_manage_rooms(actor):
        raise PermissionDenied()
    errors: list[dict[str, Any]] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, raw in _read_rows(stream):
        row: dict[str, Any] = {}
        for column, value in raw.items():
            try:
                row[column] = _parse(column, value)
            except ValueError as exc:
                errors.append({"row": number, "column": column, "message": str(exc)})
        for column in REQUIRED:
            if row.get(column) in (None, "") and not any(
                e["row"] == number and e["column"] == column for e in errors
            ):
                errors.append(
                    {"row": number, "column": column, "message": _("This column is required.")}
                )
        parsed.append((number, row))
    if errors:
        raise ValidationFailed(
            _("Nothing was imported: some rows have problems."), "import_invalid", errors=errors
        )
    result = ImportResult()
    with transaction.atomic():
        for number, row in parsed:
            try:
                _apply_row(row, actor=actor, result=result)
            except DomainError as exc:
                errors.append(
                    {
                        "row": number,
                        "column": exc.details.get("field", ""),
                        "message": str(exc.message),
                    }
                )
        if errors:  # each room's own audit entry rolls back with it
            transaction.set_rollback(True)
    if errors:
        raise ValidationFailed(
            _("Nothing was imported: some rows have problems."), "import_invalid", errors=errors
        )
    return result


def _apply_row(row: dict[str, Any], *, actor: User | None, result: ImportResult) -> None:
    with transaction.atomic():
        building, floor = building_and_floor(
            row.pop("building", "") or "", row.pop("floor", "") or ""
        )
        facilities = row.pop("facilities", None)
        fields = {k: v for k, v in row.items() if v is not None}
        if row.get("open_time") is None and row.get("close_time") is None:
            fields.pop("open_time", None), fields.pop("close_time", None)
        fields["building"], fields["floor"] = building, floor
        code = fields.get("code", "")
        existing = Room.objects.filter(code=code).first() if code else None
        if existing is None:
            create_room(actor=actor, facilities=facilities or [], **fields)
            result.created += 1
        else:
            update_room(existing, actor=actor, facilities=facilities, **fields)
            result.updated += 1
