"""The meeting plan as DOCX (python-docx) and PDF (WeasyPrint, fonts embedded).

DOCX names the fonts Chinese offices expect (方正小标宋 for the title, 黑体 for
headings, 仿宋_GB2312 for the body, each with a Song/Hei fallback in the font
table); Word or WPS renders them. The PDF is drawn from the same HTML as the
printed page, with the Noto faces MeetOps carries (core/fontconfig.py), which WeasyPrint embeds.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.agenda.plan import MeetingPlan

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
# Shown in place of a font the reader's machine lacks (w:altName in the font table).
FALLBACKS = {TITLE_FONT: "宋体", HEADING_FONT: "SimHei", BODY_FONT: "宋体"}


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def _clock(value: datetime) -> str:
    return formats.time_format(timezone.localtime(value), "H:i")


# --- DOCX --------------------------------------------------------------------


# `element` is a run's or a style's XML (CT_R, CT_Style): python-docx declares `get_or_add_rPr`
# on the first only, so it is not typed more narrowly here.
def _set_fonts(element: Any, east_asian: str) -> None:
    """Name the East Asian font on a style or run; theme fonts would override it, so drop them."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _register_fallbacks(document: DocxDocument) -> None:
    """Declare the Chinese fonts in the font table, each with an alternative name to fall back on."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from lxml import etree

    try:
        table = document.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    root = parse_xml(table.blob)
    for name, alt in FALLBACKS.items():
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                f'<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            )
        )
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _table(document: DocxDocument, header: list[str], rows: list[list[str]]) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _set_fonts(run._r, HEADING_FONT)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    return table


def official_document(title_text: str) -> DocxDocument:
    """A new A4 Word document in the official layout (fonts, sizes, margins) with a centred title."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)  # 四号: body size of official documents
    _set_fonts(normal.element, BODY_FONT)
    for name in ("Heading 1", "Heading 2", "Title"):
        _set_fonts(document.styles[name].element, HEADING_FONT)
    _register_fallbacks(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(title_text)
    run.font.size = Pt(22)  # 二号
    _set_fonts(run._r, TITLE_FONT)
    return document


def plan_docx(plan: MeetingPlan) -> bytes:
    """The plan as a Word document (A4)."""
    meeting = plan.meeting
    document = official_document(meeting.title)

    document.add_heading(_("Meeting plan"), level=1)
    basics = [
        [_("Time"), f"{_when(meeting.start)} – {_clock(meeting.end)}"],
        *([label, value] for label, value in plan.venue),
    ]
    if meeting.description:
        basics.append([_("Purpose"), meeting.description])
    if meeting.goals:
        basics.append([_("Goals"), meeting.goals])
    _table(document, [_("Item"), _("Details")], basics)

    document.add_heading(_("Agenda"), level=1)
    _table(
        document,
        [_("Time"), _("Item"), _("Presenter"), _("Room"), _("Minutes")],
        [
            [
                f"{_clock(s.start)}–{_clock(s.end)}",
                s.item.title,
                s.item.presenter,
                s.item.room_label,
                str(s.item.duration_minutes),
            ]
            for s in plan.agenda.slots
        ],
    )
    for warning in plan.agenda.warnings:
        document.add_paragraph(warning.message)

    document.add_heading(_("Participants"), level=1)
    _table(
        document,
        [pgettext("person", "Name"), _("Role"), _("Attendance"), _("Duties")],
        [
            [str(p.person), p.get_role_display(), p.get_attendance_display(), p.duties]
            for p in plan.participants
        ],
    )
    for extra in plan.sections:
        document.add_heading(extra.title, level=1)
        _table(document, [_("Item"), _("Details")], [[label, value] for label, value in extra.rows])
    if plan.conflicts:
        document.add_heading(_("Conflicts of people"), level=1)
        for c in plan.conflicts:
            document.add_paragraph(
                _("%(name)s (%(role)s) is also on %(other)s, %(start)s – %(end)s.")
                % {
                    "name": c.name,
                    "role": c.role_label,
                    "other": c.other_title,
                    "start": _when(c.start),
                    "end": _clock(c.end),
                }
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------


def plan_html(plan: MeetingPlan) -> str:
    return render_to_string("agenda/plan_print.html", {"plan": plan, "meeting": plan.meeting})


def plan_pdf(plan: MeetingPlan) -> bytes:
    """The plan as an A4 PDF with its fonts embedded (subsets), for archiving."""
    from weasyprint import CSS, HTML

    stylesheet = finders.find("agenda/plan.css")
    return HTML(string=plan_html(plan)).write_pdf(stylesheets=[CSS(filename=stylesheet)])
