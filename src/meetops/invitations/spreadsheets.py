"""Reading participant lists from .xlsx/.csv and writing them to .xlsx.

Headers are recognised in English and Chinese. The header row is found by its names among the
first rows, so the layout offices use (a title row such as "2026年度工作会议参会人员名单", a
date line, blank rows, then the headers) imports as it is. Each row read keeps its number in
the sheet and the column letter of each value, so errors name where to look. Exported cells
that a spreadsheet would read as a formula (= + - @, and tab/CR) are neutralised with a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from meetops.core.errors import ValidationFailed

# column key → accepted header spellings (compared lower-cased, spaces removed)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "姓名", "名字"),
    "organisation": (
        "department/company",
        "department",
        "company",
        "organisation",
        "organization",
        "部门/单位",
        "部门",
        "单位",
        "部門/單位",
        "部門",
        "單位",
    ),
    "title": ("title", "jobtitle", "职务", "職務", "职位", "職位"),
    "phone": ("phone", "mobile", "电话", "電話", "手机", "手機"),
    "email": ("e-mail", "email", "邮箱", "郵箱", "电子邮件", "電子郵件"),
    "role": ("role", "角色", "会议角色", "會議角色"),
    "seat_preference": ("seatpreference", "seat", "座位偏好", "座位"),
    "attendance": ("attendance", "参会类型", "參會類型"),
    "language": ("language", "语言", "語言"),
}
MAX_ROWS = 20000
# How far down a sheet the header row is looked for (title, subtitle, date, blank lines…).
HEADER_SEARCH_ROWS = 15
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _key(header: object) -> str | None:
    text = str(header or "").strip().lower().replace(" ", "").replace("_", "")
    for key, spellings in HEADERS.items():
        if text in {s.replace(" ", "").replace("_", "") for s in spellings}:
            return key
    return None


class SheetRow(dict[str, str]):
    """A row as {column key: text}, with its number in the sheet and each key's column letter
    (compares equal to the plain dict)."""

    number: int
    columns: dict[str, str]

    def __init__(self, values: dict[str, str], *, number: int, columns: dict[str, str]) -> None:
        super().__init__(values)
        self.number = number
        self.columns = columns


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header_row(table: Sequence[Sequence[object]]) -> int | None:
    """The index of the first row (among the first few) whose recognised names include the
    name column; a title or subtitle above it is skipped."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        if "name" in {_key(h) for h in row}:
            return index
    return None


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """Rows as {column key: text} (each a SheetRow); raises `unreadable_file`, `empty_file`,
    `no_name_column`, `too_many_rows` or `no_rows`."""
    try:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table: list[Sequence[object]] = list(sheet.iter_rows(values_only=True))
        else:
            table = list(csv.reader(io.StringIO(_decode(data))))
    except Exception as exc:
        raise ValidationFailed(
            _("The file could not be read as .xlsx or .csv."), "unreadable_file"
        ) from exc
    if not table:
        raise ValidationFailed(_("The file is empty."), "empty_file")
    head = _header_row(table)
    if head is None:
        raise ValidationFailed(
            _("No row among the first %(count)d holds the column names, including “name” (姓名).")
            % {"count": HEADER_SEARCH_ROWS},
            "no_name_column",
        )
    keys = [_key(h) for h in table[head]]
    columns = {k: column_letter(i) for i, k in enumerate(keys) if k}
    if len(table) - head - 1 > MAX_ROWS:
        raise ValidationFailed(
            _("At most %(max)d rows can be imported at once.") % {"max": MAX_ROWS}, "too_many_rows"
        )
    rows: list[dict[str, str]] = []
    for number, raw in enumerate(table[head + 1 :], start=head + 2):
        row = {
            k: ("" if v is None else str(v).strip()) for k, v in zip(keys, raw, strict=False) if k
        }
        if any(row.values()):  # blank lines (common at the end of a sheet) are not people
            rows.append(SheetRow(row, number=number, columns=columns))
    if not rows:
        raise ValidationFailed(_("The file has column names but nobody below them."), "no_rows")
    return rows


def _decode(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030, which is what
    Excel on a Chinese Windows writes when saving as CSV."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def neutralise(value: object) -> object:
    """Keep a spreadsheet from reading text as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet1")
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
