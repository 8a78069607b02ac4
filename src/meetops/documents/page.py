"""One description of an official page (GB/T 9704-2012), read by both renderers.

A document is a list of blocks (the red mark, the number line, the red rule, the
title, paragraphs at heading levels, the 出席 lines, the signature, the 版记) plus
the geometry below. `pdf.py` turns it into HTML for WeasyPrint and `word.py` into a
DOCX; neither decides a size, a margin or a font of its own, so the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# --- geometry (mm and pt), GB/T 9704-2012 §5 ------------------------------------------------
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 37.0
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0
MARGIN_RIGHT_MM = 26.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
MM_PER_PT = 25.4 / 72
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
IMPRINT_PT = 14.0  # 4号: 版记 and page numbers
MARK_PT = 36.0  # 小初: the size of the red mark is the issuer's choice
MARK_LINE = 1.2  # the mark's line height, in its own size
# Every line on the 22-line grid: 225 mm / 22 = 10.23 mm (29.0 pt, 580 twips).
LINE_PITCH_PT = round(TEXT_HEIGHT_MM / LINES_PER_PAGE / MM_PER_PT, 2)
# 28 characters in 156 mm: 15.79 pt a character, so a 16 pt face is set 0.21 pt tighter.
CHAR_PITCH_PT = round(TEXT_WIDTH_MM / CHARS_PER_LINE / MM_PER_PT, 3)
CHAR_SPACING_PT = round(CHAR_PITCH_PT - BODY_PT, 3)
MARK_OFFSET_MM = 35.0  # the mark's top edge below the top of the 版心
PAGE_NUMBER_GAP_MM = 7.0  # the page number's line below the bottom of the 版心
RED = "FF0000"

# --- faces: the name written into the DOCX, the free face embedded in the PDF ---------------


@dataclass(frozen=True)
class Face:
    docx: str  # what Word and WPS on an office PC have (w:eastAsia)
    alternative: str  # w:altName in the font table
    pdf_hans: str  # the face MeetOps ships and embeds (core/fonts), Simplified
    pdf_hant: str  # Traditional
    bold: bool = False


BODY = Face("仿宋_GB2312", "FangSong", "Noto Serif CJK SC", "Noto Serif CJK TC")
TITLE = Face("方正小标宋简体", "华文中宋", "Noto Serif CJK SC", "Noto Serif CJK TC", bold=True)
HEI = Face("黑体", "SimHei", "Noto Sans CJK SC", "Noto Sans CJK TC")
# No free 楷体 ships with MeetOps (AR PL UKai is a Debian package, not bundled): the PDF
# keeps the body face for level 2; the DOCX names 楷体_GB2312 as offices expect.
KAI = Face("楷体_GB2312", "KaiTi", "Noto Serif CJK SC", "Noto Serif CJK TC")
SONG = Face("宋体", "SimSun", "Noto Serif CJK SC", "Noto Serif CJK TC")
LATIN_FONT = "Times New Roman"
HEADING_FACES = {1: HEI, 2: KAI, 3: BODY, 4: BODY}


# --- blocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """The red 纪要标志 or 发文机关标志, centred, its top 35 mm below the top of the 版心."""

    text: str


@dataclass(frozen=True)
class NumberLine:
    """期号 or 发文字号: centred (下行文), or flush left with the 签发人 on the right (上行文)."""

    text: str
    signer: str = ""
    signer_label: str = ""


@dataclass(frozen=True)
class IssuerLine:
    """The 纪要's issuer (left, one character in) and date (right, one character in)."""

    issuer: str
    date: str


@dataclass(frozen=True)
class RedRule:
    """The red separator line across the 版心."""


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Addressee:
    """主送机关, flush left, ending with a full-width colon."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text (level 0, first line indented two characters) or a heading (levels 1-4).

    A heading's `number` is "一、", "（一）", "1." or "（1）"; `text` is drawn in the
    heading's face, `tail` (the text that follows on the same line) in the body face.
    """

    text: str
    level: int = 0
    number: str = ""
    tail: str = ""
    muted: bool = False


@dataclass(frozen=True)
class Labelled:
    """出席：names — the label in 黑体, wrapped lines aligned after the colon."""

    label: str
    text: str


@dataclass(frozen=True)
class Signature:
    issuer: str
    date: str


@dataclass(frozen=True)
class Imprint:
    """版记: 抄送 and the 印发 line, at the foot of the last page."""

    copy_to_label: str
    copy_to: str
    printer: str
    printed: str


Block = (
    Mark | NumberLine | IssuerLine | RedRule | Title | Addressee | Paragraph | Labelled | Signature
) | Imprint


@dataclass
class OfficialDocument:
    """A document ready for either renderer. `language` is a Django language code."""

    kind: str
    language: str
    title: str  # metadata: the PDF's and DOCX's title property
    blocks: list[Block] = field(default_factory=list)
    # Values for an office template's placeholders (name -> text), filled by the builders.
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def traditional(self) -> bool:
        return self.language.lower() in ("zh-hant", "zh-tw", "zh-hk")

    @property
    def east_asian_lang(self) -> str:
        return "zh-TW" if self.traditional else "zh-CN"


# --- numbers, dates ------------------------------------------------------------------------

CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CHINESE_DIGITS[n // 10] + "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def heading_number(level: int, n: int) -> str:
    """一、 (level 1), （一） (2), 1. (3), （1） (4)."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def chinese_date(value: date) -> str:
    """2026年10月28日: Arabic numerals, full year, no zero padding (GB/T 9704 §7.3.5)."""
    return f"{value.year}年{value.month}月{value.day}日"
