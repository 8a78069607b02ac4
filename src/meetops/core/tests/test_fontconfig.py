"""MeetOps draws its documents' Chinese with the fonts it carries, on a machine that has none."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import checks

from meetops.core import fontconfig

DOCUMENT = """<html lang="{lang}"><body><div class="plan">
<h1 class="plan-title">{title}</h1><h2>一、议题</h2><p>{body}</p>
</div></body></html>"""


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.fixture
def machine_without_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fontconfig that knows DejaVu at most, as a fresh server of this project's kind."""
    bare = tmp_path / "bare.conf"
    dirs = f"<dir>{DEJAVU}</dir>" if DEJAVU.is_dir() else ""
    bare.write_text(
        f"<fontconfig>{dirs}<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(bare))
    monkeypatch.delenv(fontconfig.BASE_VARIABLE, raising=False)
    return bare


def _render(lang: str, title: str, body: str) -> bytes:
    from weasyprint import CSS, HTML

    sheet = CSS(filename=finders.find("agenda/plan.css"))
    html = DOCUMENT.format(lang=lang, title=title, body=body)
    return HTML(string=html).write_pdf(stylesheets=[sheet])


def _embedded_faces(pdf: bytes) -> set[str]:
    """Names of the fonts embedded in the PDF, without subset prefix or hyphens: 'NotoSansSCBold'."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in described["/FontDescriptor"].get_object()
            names.add(str(described["/BaseFont"]).split("+", 1)[-1].replace("-", ""))
    return names


def _notdefs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]


@pytest.mark.parametrize(
    ("lang", "title", "serif", "sans"),
    [
        ("zh-Hans", "会议纪要：季度工作会议", "NotoSerifSC", "NotoSansSCBold"),
        ("zh-Hant", "會議紀要：季度工作會議", "NotoSerifTC", "NotoSansTCBold"),
    ],
    ids=["zh-hans", "zh-hant"],
)
def test_a_chinese_document_embeds_meetops_faces_where_the_machine_has_no_cjk_font(
    machine_without_fonts, tmp_path, caplog, lang, title, serif, sans
):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    assert fontconfig.install(tmp_path / "data") is not None

    pdf = _render(lang, title, "同意增加差旅预算十万元，由财务部拿出方案。")

    assert _notdefs(caplog) == []
    faces = _embedded_faces(pdf)
    # The body in the script's own serif, the headings in its bold sans (agenda/plan.css).
    assert serif in faces and sans in faces, faces


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="Pango needs one font to lay out at all")
def test_without_meetops_fonts_the_same_document_is_drawn_in_boxes(machine_without_fonts, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")

    _render("zh-Hans", "会议纪要", "同意。")

    assert any("会" in message for message in _notdefs(caplog))


def test_the_config_builds_on_the_machines_own_and_a_child_process_keeps_that_base(
    machine_without_fonts, tmp_path
):
    written = fontconfig.install(tmp_path / "data")

    assert written is not None and os.environ["FONTCONFIG_FILE"] == str(written)
    text = written.read_text(encoding="utf-8")
    assert f'<include ignore_missing="yes">{machine_without_fonts}</include>' in text
    assert f"<dir>{fontconfig.FONTS_DIR}</dir>" in text
    assert (
        "<family>Noto Serif CJK SC</family><prefer><family>Noto Serif SC</family></prefer>" in text
    )
    # gunicorn's workers start with the parent's variables: they must not include themselves.
    again = fontconfig.install(tmp_path / "data")
    assert again == written and again.read_text(encoding="utf-8") == text


def test_no_fonts_fetched_leaves_the_machine_alone_and_the_check_says_so(
    machine_without_fonts, tmp_path, monkeypatch
):
    monkeypatch.setattr(fontconfig, "FONTS_DIR", tmp_path / "never-fetched")

    assert fontconfig.install(tmp_path / "data") is None
    assert os.environ["FONTCONFIG_FILE"] == str(machine_without_fonts)
    warnings = [m for m in checks.run_checks() if m.id == "meetops.W023"]
    assert len(warnings) == 1 and "make install" in (warnings[0].hint or "")


def test_the_fonts_are_fetched_and_the_check_is_quiet():
    names = {path.name for path in fontconfig.faces()}
    assert {
        f"Noto{kind}{script}-{weight}.ttf"
        for kind in ("Serif", "Sans")
        for script in ("SC", "TC")
        for weight in ("Regular", "Bold")
    } <= names
    assert not [m for m in checks.run_checks() if m.id == "meetops.W023"]


def test_the_check_names_pango_when_the_machine_has_none(monkeypatch):
    monkeypatch.setattr(fontconfig, "find_library", lambda name: None)

    warnings = [m for m in checks.run_checks() if m.id == "meetops.W024"]

    assert len(warnings) == 1 and "libpangoft2-1.0-0" in (warnings[0].hint or "")
    monkeypatch.undo()
    assert not [m for m in checks.run_checks() if m.id == "meetops.W024"]
