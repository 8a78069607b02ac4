"""The 归档章 (DA/T 22-2015 §5.6) on a filed PDF: a red box of six cells, 45 × 16 mm, with
全宗号, 年度, 件号 on the first row and 机构（问题）, 保管期限, 页数 on the second, stamped at
the top right of the first page where it covers no heading text of a 公文 (the 版心 starts
37 mm down; the stamp sits 8 mm from the top edge).

A PDF that cannot be read is filed unstamped; the usability check names it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.utils.html import escape

logger = logging.getLogger(__name__)

MM = 72 / 25.4


@dataclass(frozen=True)
class StampFields:
    fonds: str
    year: int
    item: int
    org: str
    retention: str
    pages: int | None

    def cells(self) -> list[str]:
        return [
            self.fonds,
            str(self.year),
            f"{self.item:04d}",
            self.org,
            self.retention,
            "" if self.pages is None else str(self.pages),
        ]


def _stamp_page(width_pt: float, height_pt: float, fields: StampFields) -> bytes:
    # reason: WeasyPrint loads its fonts and cairo on first use; only filing needs it
    from weasyprint import HTML

    cells = [escape(c) for c in fields.cells()]
    row = '<td style="width:15mm;height:8mm">{}</td>'
    html = f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {width_pt}pt {height_pt}pt; margin: 0; }}
body {{ margin: 0; font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; }}
table {{ position: absolute; top: 8mm; right: 12mm; border-collapse: collapse;
  color: #d00; font-size: 7.5pt; text-align: center; }}
td {{ border: 0.3mm solid #d00; padding: 0; }}
</style></head><body><table>
<tr>{"".join(row.format(c) for c in cells[:3])}</tr>
<tr>{"".join(row.format(c) for c in cells[3:])}</tr>
</table></body></html>"""
    return HTML(string=html).write_pdf()


def stamp_pdf(data: bytes, fields: StampFields) -> bytes:
    """The PDF with the 归档章 on its first page; the same bytes if it cannot be read."""
    from pypdf import PdfReader, PdfWriter

    try:
        reader = PdfReader(io.BytesIO(data))
        first = reader.pages[0]
        box = first.mediabox
        overlay = PdfReader(
            io.BytesIO(_stamp_page(float(box.width), float(box.height), fields))
        ).pages[0]
        writer = PdfWriter(clone_from=reader)
        writer.pages[0].merge_page(overlay)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except Exception:  # a damaged PDF: filed as it is, the usability check reports it
        logger.warning("could not stamp a PDF with the 归档章", exc_info=True)
        return data
