"""The 纪要 DOCX read as XML: section, styles, grid, footers, languages; a clean template."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from lxml import etree

from meetops.documents import page

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _q(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture
def docx_parts(client, recorder, approved, on_leave, issuer) -> dict[str, bytes]:
    client.force_login(recorder)
    response = client.get(reverse("minutes_docx", args=[approved.meeting_id]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _xml(parts: dict[str, bytes], name: str) -> etree._Element:
    return etree.fromstring(parts[name])


def _mm(twips: str | None) -> float:
    return int(twips or 0) * 25.4 / 1440


def test_the_section_is_a4_with_the_standard_margins_and_grid(docx_parts):
    sect = _xml(docx_parts, "word/document.xml").find(".//w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert (_mm(size.get(_q("w"))), _mm(size.get(_q("h")))) == pytest.approx((210, 297), abs=0.1)
    margins = sect.find("w:pgMar", NS)
    measured = {side: _mm(margins.get(_q(side))) for side in ("top", "bottom", "left", "right")}
    assert measured == pytest.approx({"top": 37, "bottom": 35, "left": 28, "right": 26}, abs=0.1)
    grid = sect.find("w:docGrid", NS)
    # 22 lines in the 225 mm 版心: a pitch of 10.23 mm (580 twips).
    assert 225 / _mm(grid.get(_q("linePitch"))) == pytest.approx(22, abs=0.05)
    assert int(grid.get(_q("charSpace"))) == pytest.approx(-848, abs=10)


def test_styles_name_the_fonts_offices_have_with_east_asian_attributes(docx_parts):
    styles = _xml(docx_parts, "word/styles.xml")

    def fonts(style_id: str) -> etree._Element:
        return styles.find(f"w:style[@w:styleId='{style_id}']/w:rPr/w:rFonts", NS)

    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(_q("eastAsia")) == "仿宋_GB2312"
    assert defaults.find("w:sz", NS).get(_q("val")) == "32"  # 3号: 16 pt
    assert defaults.find("w:lang", NS).get(_q("eastAsia")) == "zh-CN"
    assert fonts("Normal").get(_q("eastAsia")) == "仿宋_GB2312"
    assert fonts("GwTitle").get(_q("eastAsia")) == "方正小标宋简体"
    assert fonts("GwMark").get(_q("eastAsia")) == "方正小标宋简体"
    assert fonts("GwHeading1").get(_q("eastAsia")) == "黑体"
    assert fonts("GwHeading2").get(_q("eastAsia")) == "楷体_GB2312"
    mark = styles.find("w:style[@w:styleId='GwMark']/w:rPr/w:color", NS)
    assert mark.get(_q("val")) == page.RED
    rule = styles.find("w:style[@w:styleId='GwRule']/w:pPr/w:pBdr/w:bottom", NS)
    assert rule.get(_q("color")) == page.RED
    body = styles.find("w:style[@w:styleId='GwBody']/w:pPr/w:ind", NS)
    assert body.get(_q("firstLineChars")) == "200"
    spacing = styles.find("w:style[@w:styleId='Normal']/w:pPr/w:spacing", NS)
    assert (spacing.get(_q("line")), spacing.get(_q("lineRule"))) == ("580", "exact")
    # The body's paragraphs use these styles.
    document = _xml(docx_parts, "word/document.xml")
    used = {p.get(_q("val")) for p in document.iterfind(".//w:pStyle", NS)}
    assert {"GwMark", "GwNumber", "GwRule", "GwTitle", "GwBody", "GwHeading1"} <= used


def test_nothing_of_the_japanese_english_template_is_left(docx_parts):
    everything = b"".join(docx_parts.values()).decode("utf-8", "replace")
    for leftover in ("MS Mincho", "MS Gothic", "ＭＳ 明朝", "ＭＳ ゴシック", "ja-JP", "365F91"):
        assert leftover not in everything, leftover
    assert (
        "word/stylesWithEffects.xml" not in docx_parts
        or b"365F91" not in docx_parts["word/stylesWithEffects.xml"]
    )
    settings = _xml(docx_parts, "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(_q("eastAsia")) == "zh-CN"


def test_footers_number_odd_pages_right_and_even_pages_left(docx_parts):
    document = _xml(docx_parts, "word/document.xml")
    settings = _xml(docx_parts, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    rels = etree.fromstring(docx_parts["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = {
        ref.get(_q("type")): targets[
            ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        ]
        for ref in document.iterfind(".//w:sectPr/w:footerReference", NS)
    }
    assert set(refs) == {"default", "even"}
    for kind, align in (("default", "right"), ("even", "left")):
        footer = _xml(docx_parts, f"word/{refs[kind]}")
        paragraph = footer.find("w:p", NS)
        assert paragraph.find("w:pPr/w:jc", NS).get(_q("val")) == align
        field = paragraph.find("w:fldSimple", NS)
        assert field is not None and "PAGE" in field.get(_q("instr"))
        text = "".join(paragraph.itertext())
        assert text == "— 1 —"


def test_the_text_is_the_minutes_with_people_and_imprint(docx_parts):
    document = _xml(docx_parts, "word/document.xml")
    paragraphs = ["".join(p.itertext()) for p in document.iterfind(".//w:p", NS)]
    assert paragraphs[0] == "某某市信息中心会议纪要"
    assert paragraphs[1] == "第1期"
    assert "一、档案数字化方案" in paragraphs
    assert "出席：张明、王芳" in paragraphs
    assert "请假：孙磊（出差）" in paragraphs
    assert "抄送：市档案局，各部门。" in paragraphs
