"""Text of archived files for search (P7.8): PDF (pypdf, when installed), DOCX, XLSX, plain text.

Extraction never fails a filing: a file whose text cannot be read is archived without it.
"""

from __future__ import annotations

import io
import logging

logger = logging.getLogger(__name__)
MAX_TEXT = 200_000


def _pdf(data: bytes) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is optional at run time
        return ""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages[:200])


def _docx(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            lines.append(" ".join(str(v) for v in row if v is not None))
    return "\n".join(lines)


def _plain(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "txt": _plain, "md": _plain}


def extract_text(ext: str, data: bytes) -> str:
    reader = READERS.get(ext.lower())
    if reader is None:
        return ""
    try:
        return reader(data).replace("\x00", "")[:MAX_TEXT]
    except Exception:  # a damaged or unusual file: archived without its text
        logger.warning("could not read the text of a .%s file for search", ext, exc_info=True)
        return ""


def page_count(ext: str, data: bytes) -> int | None:
    """The PDF's number of pages (the 页数 of the catalogue); None for other formats or a PDF
    that cannot be read (四性检测 reports that separately)."""
    if ext.lower() != "pdf":
        return None
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # a damaged PDF: the usability check names it
        return None
