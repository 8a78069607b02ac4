"""Minutes as PDF and DOCX, opened with the libraries readers' tools use; Chinese text is there."""

from __future__ import annotations

import io
import logging

import pytest
from django.urls import reverse

from meetops.minutes import services

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def with_action(written, recorder, member):
    services.create_action(written.meeting, actor=recorder, title="财务部拿出方案", owner=member)
    return written


def test_docx_has_sections_decisions_votes_summary_and_chinese_fonts(client, recorder, with_action):
    import docx

    client.force_login(recorder)
    response = client.get(reverse("minutes_docx", args=[with_action.meeting_id]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    title = document.paragraphs[0]
    assert title.text == "会议纪要：季度工作会议"
    assert title.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2. 预算讨论" in text
    assert "同意增加差旅预算十万元（赞成 7，反对 1，弃权 0）" in text
    assert "会议圆满完成各项议程" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "财务部拿出方案" in cells
    assert "应到 4 人（其中必须参加 4 人）" in cells


def test_docx_follows_the_viewers_language(client, recorder, with_action):
    import docx

    recorder.language = "zh-hant"
    recorder.save(update_fields=["language"])
    client.force_login(recorder)
    response = client.get(reverse("minutes_docx", args=[with_action.meeting_id]))
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "會議紀要：季度工作会议"


def test_pdf_has_the_chinese_text_and_embeds_its_fonts(client, recorder, with_action, caplog):
    from pypdf import PdfReader

    caplog.set_level(logging.WARNING, logger="weasyprint")
    client.force_login(recorder)
    response = client.get(reverse("minutes_pdf", args=[with_action.meeting_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "会议纪要：季度工作会议",
        "预算讨论",
        "同意增加差旅预算十万元",
        "会议总结",
        "财务部拿出方案",
    ):
        assert expected in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            descendants = descriptor.get("/DescendantFonts")
            if descendants:
                descriptor = descendants[0].get_object()
            fd = descriptor.get("/FontDescriptor")
            if fd is not None:
                fd = fd.get_object()
                fonts.add(any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts == {True}
    # Every character had a glyph: none was drawn as a .notdef box.
    assert not [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]
