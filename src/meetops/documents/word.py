"""The page description as a DOCX (python-docx), for the office that edits and prints it.

The file starts from python-docx's template and is cleaned: its styles are replaced
by ours (no Japanese theme fonts, no blue headings), its East Asian language is
zh-CN (zh-TW for a Traditional document), and the fonts named are those WPS and Word
have on an office PC (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312), each with an
alternative in the font table. Geometry comes from `page.py`, as for the PDF.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from meetops.documents import page
from meetops.documents.page import Face, OfficialDocument

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MM_TWIPS = 1440 / 25.4


def twips_mm(mm: float) -> int:
    return round(mm * MM_TWIPS)


def twips_pt(pt: float) -> int:
    return round(pt * 20)


LINE = twips_pt(page.LINE_PITCH_PT)  # 580
CHAR = twips_pt(page.BODY_PT)  # 320: one 3号 character
IMPRINT_CHAR = twips_pt(page.IMPRINT_PT)  # 280
# Word's docGrid charSpace: the difference between the grid's pitch and the font size, in
# 1/4096 pt: (15.79 − 16) × 4096 ≈ −848. It is written for Word's dialog, but the grid is of
# type "lines": LibreOffice gives a glyph wider than a character cell two cells, so a
# character grid of 15.79 pt sets 16 pt text at 14 characters a line there. The 28
# characters come from the runs' own spacing instead, which Word, WPS and LibreOffice agree
# on: 16 − 0.25 = 15.75 pt a character, 28 in 156 mm.
CHAR_SPACE = round(page.CHAR_SPACING_PT * 4096)
RUN_SPACING = -5  # twentieths of a point: −0.25 pt


def _fonts(face: Face) -> str:
    return (
        f'<w:rFonts w:ascii="{page.LATIN_FONT}" w:hAnsi="{page.LATIN_FONT}" '
        f'w:eastAsia="{face.docx}" w:cs="{page.LATIN_FONT}"/>'
    )


def _style(
    style_id: str,
    name: str,
    *,
    face: Face | None = None,
    size_pt: float | None = None,
    ppr: str = "",
    rpr: str = "",
    based_on: str = "Normal",
    kind: str = "paragraph",
) -> str:
    run = (_fonts(face) if face else "") + rpr
    if size_pt:
        half = round(size_pt * 2)
        run += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{based}<w:qFormat/>'
        f"{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{f'<w:rPr>{run}</w:rPr>' if run else ''}</w:style>"
    )


def styles_xml(doc: OfficialDocument) -> str:
    """The whole styles part: defaults in 3号仿宋 on the 22-line grid, one style per element."""
    lang = f'<w:lang w:val="en-US" w:eastAsia="{doc.east_asian_lang}" w:bidi="ar-SA"/>'
    exact = f'<w:spacing w:line="{LINE}" w:lineRule="exact"/>'
    body_size = round(page.BODY_PT * 2)
    red = f'<w:color w:val="{page.RED}"/>'
    styles = [
        _style(
            "GwMark",
            "Gongwen Mark",
            face=page.TITLE,
            size_pt=page.MARK_PT,
            rpr=red,
            ppr=f'<w:snapToGrid w:val="0"/><w:spacing w:before="{twips_mm(page.MARK_OFFSET_MM)}" '
            f'w:line="{twips_pt(page.MARK_PT * page.MARK_LINE)}" w:lineRule="exact"/>'
            '<w:jc w:val="center"/>',
        ),
        _style(
            "GwNumber",
            "Gongwen Number",
            ppr=f'<w:snapToGrid w:val="0"/><w:spacing w:before="{2 * LINE}" w:line="{LINE}" '
            'w:lineRule="exact"/><w:jc w:val="center"/>',
        ),
        _style(
            "GwNumberUpward",
            "Gongwen Number Upward",
            ppr=f'<w:tabs><w:tab w:val="right" w:pos="{twips_mm(page.TEXT_WIDTH_MM) - CHAR}"/>'
            f'</w:tabs><w:spacing w:before="{2 * LINE}" w:line="{LINE}" w:lineRule="exact"/>'
            f'<w:ind w:left="{CHAR}" w:leftChars="100"/>',
        ),
        _style(
            "GwIssuerLine",
            "Gongwen Issuer Line",
            ppr=f'<w:tabs><w:tab w:val="right" w:pos="{twips_mm(page.TEXT_WIDTH_MM) - CHAR}"/>'
            f'</w:tabs><w:snapToGrid w:val="0"/><w:spacing w:before="{LINE}" w:line="{LINE}" '
            f'w:lineRule="exact"/><w:ind w:left="{CHAR}" w:leftChars="100"/>',
        ),
        _style(
            "GwRule",
            "Gongwen Red Rule",
            ppr=f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="1" w:color="{page.RED}"/>'
            '</w:pBdr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:line="240" '
            'w:lineRule="exact"/>',
            rpr='<w:sz w:val="2"/>',
        ),
        _style(
            "GwTitle",
            "Gongwen Title",
            face=page.TITLE,
            size_pt=page.TITLE_PT,
            ppr=f'<w:snapToGrid w:val="0"/><w:spacing w:before="{2 * LINE}" w:after="{LINE}" '
            f'w:line="{LINE}" w:lineRule="exact"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
        ),
        _style("GwAddressee", "Gongwen Addressee", ppr='<w:ind w:firstLine="0"/>'),
        _style(
            "GwBody",
            "Gongwen Body",
            ppr=f'<w:ind w:firstLineChars="200" w:firstLine="{2 * CHAR}"/>',
        ),
        _style(
            "GwHeading1",
            "Gongwen Heading 1",
            face=page.HEI,
            based_on="GwBody",
            ppr='<w:keepNext/><w:outlineLvl w:val="1"/>',
        ),
        _style(
            "GwHeading2",
            "Gongwen Heading 2",
            face=page.KAI,
            based_on="GwBody",
            ppr='<w:keepNext/><w:outlineLvl w:val="2"/>',
        ),
        _style(
            "GwHeading3", "Gongwen Heading 3", based_on="GwBody", ppr='<w:outlineLvl w:val="3"/>'
        ),
        _style(
            "GwHeading4", "Gongwen Heading 4", based_on="GwBody", ppr='<w:outlineLvl w:val="4"/>'
        ),
        _style(
            "GwLabelled",
            "Gongwen Attendance",
            ppr=f'<w:ind w:leftChars="500" w:left="{5 * CHAR}" w:hangingChars="300" '
            f'w:hanging="{3 * CHAR}"/>',
        ),
        _style("GwLabel", "Gongwen Label", face=page.HEI, based_on="", kind="character"),
        _style(
            "GwSignature",
            "Gongwen Signature",
            ppr=f'<w:spacing w:before="{LINE}" w:line="{LINE}" w:lineRule="exact"/>'
            f'<w:ind w:rightChars="200" w:right="{2 * CHAR}"/><w:jc w:val="right"/>',
        ),
        _style(
            "GwSignatureDate",
            "Gongwen Signature Date",
            ppr=f'<w:ind w:rightChars="100" w:right="{CHAR}"/><w:jc w:val="right"/>',
        ),
        _style(
            "GwImprint",
            "Gongwen Imprint",
            size_pt=page.IMPRINT_PT,
            ppr=f'<w:tabs><w:tab w:val="right" w:pos="{twips_mm(page.TEXT_WIDTH_MM) - 2 * IMPRINT_CHAR}"/>'
            f'</w:tabs><w:ind w:left="{IMPRINT_CHAR}" w:right="{IMPRINT_CHAR}"/>',
            rpr='<w:spacing w:val="0"/>',
        ),
    ]
    footer = (
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr>{_fonts(page.SONG)}<w:sz w:val="{round(page.IMPRINT_PT * 2)}"/>'
        f'<w:szCs w:val="{round(page.IMPRINT_PT * 2)}"/></w:rPr></w:style>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{W_NS}">'
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(page.BODY)}"
        f'<w:spacing w:val="{RUN_SPACING}"/><w:sz w:val="{body_size}"/><w:szCs w:val="{body_size}"/>'
        f"{lang}</w:rPr></w:rPrDefault>"
        f'<w:pPrDefault><w:pPr>{exact}<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f'<w:qFormat/><w:pPr>{exact}<w:jc w:val="both"/></w:pPr>'
        f'<w:rPr>{_fonts(page.BODY)}<w:spacing w:val="{RUN_SPACING}"/>'
        f'<w:sz w:val="{body_size}"/><w:szCs w:val="{body_size}"/>'
        f"{lang}</w:rPr></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "</w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>"
        f"{footer}{''.join(styles)}</w:styles>"
    )


# Paragraphs name their style by its name (python-docx looks styles up by name).
NAMES = {
    "GwMark": "Gongwen Mark",
    "GwNumber": "Gongwen Number",
    "GwNumberUpward": "Gongwen Number Upward",
    "GwIssuerLine": "Gongwen Issuer Line",
    "GwRule": "Gongwen Red Rule",
    "GwTitle": "Gongwen Title",
    "GwAddressee": "Gongwen Addressee",
    "GwBody": "Gongwen Body",
    "GwHeading1": "Gongwen Heading 1",
    "GwHeading2": "Gongwen Heading 2",
    "GwHeading3": "Gongwen Heading 3",
    "GwHeading4": "Gongwen Heading 4",
    "GwLabelled": "Gongwen Attendance",
    "GwLabel": "Gongwen Label",
    "GwSignature": "Gongwen Signature",
    "GwSignatureDate": "Gongwen Signature Date",
    "GwImprint": "Gongwen Imprint",
}

FACES = (page.BODY, page.TITLE, page.HEI, page.KAI, page.SONG)


def font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{escape(face.docx)}"><w:altName w:val="{escape(face.alternative)}"/>'
        '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for face in FACES
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="{W_NS}"><w:font w:name="{page.LATIN_FONT}"><w:charset w:val="00"/>'
        f'<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>{fonts}</w:fonts>'
    )


def _clean_package(document: DocxDocument, doc: OfficialDocument) -> None:
    """Replace the template's styles and font table; drop its Japanese theme fonts."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    part = document.part
    part._styles_part._element = parse_xml(styles_xml(doc).encode())
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del part.rels[rel_id]
        elif rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml().encode()
        elif rel.reltype == RT.THEME:
            theme = rel.target_part.blob.decode("utf-8")
            # The theme's script fonts (ＭＳ 明朝 for Jpan, …) are what an ja-JP theme leaves
            # behind; our styles name every face, so the theme keeps only Latin fallbacks.
            theme = re.sub(r'<a:font script="[A-Za-z]+" typeface="[^"]*"/>', "", theme)
            rel.target_part._blob = theme.encode("utf-8")
    settings = part.settings.element
    for old in settings.findall(f"{{{W_NS}}}themeFontLang"):
        old.set(f"{{{W_NS}}}eastAsia", doc.east_asian_lang)
    settings.append(parse_xml(f'<w:evenAndOddHeaders xmlns:w="{W_NS}"/>'))
    _settings_in_order(settings)


# The order CT_Settings requires for the elements we touch (a validator refuses others).
def _settings_in_order(settings: Any) -> None:
    even = settings.find(f"{{{W_NS}}}evenAndOddHeaders")
    settings.remove(even)
    # evenAndOddHeaders comes before the compatibility and proofing elements.
    anchor = None
    for name in ("zoom", "removePersonalInformation", "embedTrueTypeFonts", "mirrorMargins"):
        found = settings.find(f"{{{W_NS}}}{name}")
        if found is not None:
            anchor = found
    for name in ("defaultTabStop",):
        found = settings.find(f"{{{W_NS}}}{name}")
        if found is not None:
            found.addprevious(even)
            return
    if anchor is not None:
        anchor.addnext(even)
    else:
        settings.insert(0, even)


def _section(document: DocxDocument) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(page.PAGE_WIDTH_MM), Mm(page.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(page.MARGIN_TOP_MM), Mm(page.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(page.MARGIN_LEFT_MM), Mm(page.MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    # The number's line 7 mm below the 版心: 297 − 262 − 7 − one 4号 line ≈ 23 mm from the edge.
    section.footer_distance = Mm(page.MARGIN_BOTTOM_MM - page.PAGE_NUMBER_GAP_MM - 5)
    sect = section._sectPr
    for grid in sect.findall(f"{{{W_NS}}}docGrid"):
        sect.remove(grid)
    sect.append(
        parse_xml(
            f'<w:docGrid xmlns:w="{W_NS}" w:type="lines" w:linePitch="{LINE}" '
            f'w:charSpace="{CHAR_SPACE}"/>'
        )
    )
    _footer(section.footer, right=True)
    _footer(section.even_page_footer, right=False)


def _footer(footer: Any, *, right: bool) -> None:
    """— PAGE —, odd pages right and even pages left, one 4号 character in from the edge."""
    from docx.oxml import parse_xml

    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    ind = f'<w:ind w:right="{IMPRINT_CHAR}"/>' if right else f'<w:ind w:left="{IMPRINT_CHAR}"/>'
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(ind.replace("<w:ind ", f'<w:ind xmlns:w="{W_NS}" ')))
    ppr.append(parse_xml(f'<w:jc xmlns:w="{W_NS}" w:val="{"right" if right else "left"}"/>'))
    paragraph.add_run("— ")
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE \\* MERGEFORMAT ">'
            "<w:r><w:t>1</w:t></w:r></w:fldSimple>"
        )
    )
    paragraph.add_run(" —")


def _run(paragraph: Any, text: str, *, face: Face | None = None, style: str = "") -> None:
    run = paragraph.add_run(text, style=style or None)
    if face is not None:
        from docx.oxml import parse_xml

        rpr = run._r.get_or_add_rPr()
        rpr.insert(0, parse_xml(_fonts(face).replace("<w:rFonts ", f'<w:rFonts xmlns:w="{W_NS}" ')))


def _imprint(document: DocxDocument, block: page.Imprint) -> None:
    """版记 in a table floated to the foot of the 版心, thick rules above and below."""
    from docx.oxml import parse_xml

    rows = []
    if block.copy_to:
        rows.append((f"{block.copy_to_label}{block.copy_to}", ""))
    rows.append((block.printer, block.printed))
    width = twips_mm(page.TEXT_WIDTH_MM)
    cells = []
    for i, (left, right) in enumerate(rows):
        top = "12" if i == 0 else "4"
        bottom = "12" if i == len(rows) - 1 else "4"
        text = escape(left) + (f"</w:t></w:r><w:r><w:tab/><w:t>{escape(right)}" if right else "")
        cells.append(
            f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:tcBorders>'
            f'<w:top w:val="single" w:sz="{top}" w:color="000000"/>'
            f'<w:bottom w:val="single" w:sz="{bottom}" w:color="000000"/>'
            f'</w:tcBorders></w:tcPr><w:p><w:pPr><w:pStyle w:val="GwImprint"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc></w:tr>'
        )
    table = parse_xml(
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblpPr w:vertAnchor="margin" w:horzAnchor="margin" '
        'w:tblpYSpec="bottom"/><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
        f'</w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>'
        f"{''.join(cells)}</w:tbl>"
    )
    body = document.element.body
    body.insert(len(body) - 1, table)
    # A floating table needs a paragraph after it to anchor to; this one takes no room.
    body.insert(
        len(body) - 1,
        parse_xml(
            f'<w:p xmlns:w="{W_NS}"><w:pPr><w:snapToGrid w:val="0"/>'
            '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
        ),
    )


def _blocks(document: DocxDocument, doc: OfficialDocument) -> None:
    for block in doc.blocks:
        if isinstance(block, page.Mark):
            document.add_paragraph(block.text, style=NAMES["GwMark"])
        elif isinstance(block, page.NumberLine):
            if block.signer:
                p = document.add_paragraph(block.text, style=NAMES["GwNumberUpward"])
                p.add_run("\t" + block.signer_label)
                _run(p, block.signer, face=page.KAI)
            else:
                document.add_paragraph(block.text, style=NAMES["GwNumber"])
        elif isinstance(block, page.IssuerLine):
            document.add_paragraph(f"{block.issuer}\t{block.date}", style=NAMES["GwIssuerLine"])
        elif isinstance(block, page.RedRule):
            document.add_paragraph("", style=NAMES["GwRule"])
        elif isinstance(block, page.Title):
            document.add_paragraph(block.text, style=NAMES["GwTitle"])
        elif isinstance(block, page.Addressee):
            document.add_paragraph(block.text, style=NAMES["GwAddressee"])
        elif isinstance(block, page.Paragraph):
            if block.level:
                p = document.add_paragraph(style=NAMES[f"GwHeading{block.level}"])
                p.add_run(block.number + block.text)
                if block.tail:
                    _run(p, block.tail, face=page.BODY)
            else:
                document.add_paragraph(block.text, style=NAMES["GwBody"])
        elif isinstance(block, page.Labelled):
            p = document.add_paragraph(style=NAMES["GwLabelled"])
            p.add_run(block.label, style=NAMES["GwLabel"])
            p.add_run(block.text)
        elif isinstance(block, page.Signature):
            document.add_paragraph(block.issuer, style=NAMES["GwSignature"])
            document.add_paragraph(block.date, style=NAMES["GwSignatureDate"])
        elif isinstance(block, page.Imprint):
            _imprint(document, block)


def new_document(doc: OfficialDocument) -> DocxDocument:
    """An empty DOCX in the official layout: clean styles, the section, the footers."""
    from docx import Document

    document = Document()
    _clean_package(document, doc)
    body = document.element.body
    for paragraph in list(body.iterchildren(f"{{{W_NS}}}p")):
        body.remove(paragraph)
    _section(document)
    props = document.core_properties
    props.title = doc.title
    props.language = doc.east_asian_lang
    props.author = props.last_modified_by = "MeetOps"
    props.comments = ""
    return document


def render_docx(doc: OfficialDocument) -> bytes:
    document = new_document(doc)
    _blocks(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
