"""The page description as a PDF: HTML and CSS for WeasyPrint, fonts embedded from core/fonts.

Every length comes from `page.py`. The first page is a right-hand page, so `:right`
pages are the odd ones: their number sits on the right, one character in; the even
(`:left`) pages have it on the left.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from meetops.documents import page
from meetops.documents.page import Face, OfficialDocument


def _family(face: Face, doc: OfficialDocument) -> str:
    name = face.pdf_hant if doc.traditional else face.pdf_hans
    return f'"{name}", serif'


def stylesheet(doc: OfficialDocument) -> str:
    """The CSS of the page, from the one geometry."""
    line = f"{page.LINE_PITCH_PT}pt"
    char = f"{page.BODY_PT}pt"
    number = '"— " counter(page) " —"'
    imprint_char = f"{page.IMPRINT_PT}pt"
    return f"""
@page {{
  size: {page.PAGE_WIDTH_MM}mm {page.PAGE_HEIGHT_MM}mm;
  margin: {page.MARGIN_TOP_MM}mm {page.MARGIN_RIGHT_MM}mm {page.MARGIN_BOTTOM_MM}mm
    {page.MARGIN_LEFT_MM}mm;
  @footnote {{ margin-top: 0; }}
}}
@page :right {{
  @bottom-right {{
    content: {number}; vertical-align: top; text-align: right;
    padding-top: {page.PAGE_NUMBER_GAP_MM - 1.5}mm; padding-right: {imprint_char};
    font-family: {_family(page.SONG, doc)}; font-size: {page.IMPRINT_PT}pt;
  }}
}}
@page :left {{
  @bottom-left {{
    content: {number}; vertical-align: top; text-align: left;
    padding-top: {page.PAGE_NUMBER_GAP_MM - 1.5}mm; padding-left: {imprint_char};
    font-family: {_family(page.SONG, doc)}; font-size: {page.IMPRINT_PT}pt;
  }}
}}
html {{ font-family: {_family(page.BODY, doc)}; font-size: {page.BODY_PT}pt; color: #000; }}
body {{ margin: 0; }}
p {{
  margin: 0; line-height: {line}; letter-spacing: {page.CHAR_SPACING_PT - 0.01:.3f}pt;
  text-align: justify; orphans: 1; widows: 1;
}}
.mark {{
  /* the mark's top edge 35 mm below the top of the 版心 */
  margin-top: {page.MARK_OFFSET_MM}mm; text-align: center; color: #{page.RED};
  font-family: {_family(page.TITLE, doc)}; font-weight: bold; font-size: {page.MARK_PT}pt;
  line-height: {page.MARK_LINE}; letter-spacing: 0.05em;
}}
.number {{ margin-top: calc(2 * {line}); text-align: center; }}
.number.upward {{ text-align: left; padding-left: {char}; }}
.number .signer {{ float: right; padding-right: {char}; }}
.issuer-line {{ margin-top: {line}; padding: 0 {char}; text-align: left; }}
.issuer-line .date {{ float: right; white-space: nowrap; }}
.rule {{ border: 0; border-top: 1pt solid #{page.RED}; margin: 4mm 0 0 0; height: 0; }}
.title {{
  margin-top: calc(2 * {line}); margin-bottom: {line}; text-align: center;
  font-family: {_family(page.TITLE, doc)}; font-weight: bold; font-size: {page.TITLE_PT}pt;
  line-height: {line};
}}
.addressee {{ text-indent: 0; }}
.body {{ text-indent: 2em; }}
.muted {{ color: #000; }}
.h1 .head {{ font-family: {_family(page.HEI, doc)}; }}
.h2 .head {{ font-family: {_family(page.KAI, doc)}; }}
.labelled {{ padding-left: 5em; text-indent: -3em; }}
.labelled-first {{ margin-top: {line}; }}
.labelled .label {{ font-family: {_family(page.HEI, doc)}; }}
.signature {{ margin-top: {line}; text-align: right; padding-right: calc(2 * {char}); }}
.signature-date {{ text-align: right; padding-right: {char}; }}
.imprint {{
  float: footnote; font-size: {page.IMPRINT_PT}pt; line-height: {line};
  border-top: 0.35mm solid #000; border-bottom: 0.35mm solid #000;
}}
.imprint p {{ font-size: {page.IMPRINT_PT}pt; letter-spacing: 0; }}
.imprint .copy {{ padding: 0 {imprint_char}; border-bottom: 0.25mm solid #000; }}
.imprint .printed {{ padding: 0 {imprint_char}; }}
.imprint .printed {{ display: flex; justify-content: space-between; }}
.imprint .printed .date {{ white-space: nowrap; }}
::footnote-call {{ content: none; }}
::footnote-marker {{ content: none; }}
"""


def document_html(doc: OfficialDocument) -> str:
    items = [
        {
            "type": type(block).__name__.lower(),
            "b": block,
            # 出席/请假/列席 follow each other without a blank line; the first has one above.
            "follows": i > 0 and isinstance(doc.blocks[i - 1], page.Labelled),
        }
        for i, block in enumerate(doc.blocks)
    ]
    return render_to_string("documents/official.html", {"doc": doc, "blocks": items})


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as an A4 PDF, its faces embedded (subsets)."""
    from weasyprint import CSS, HTML  # heavy: only when a PDF is made

    return HTML(string=document_html(doc)).write_pdf(stylesheets=[CSS(string=stylesheet(doc))])
