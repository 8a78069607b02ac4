"""The plan as DOCX and PDF: opened with the libraries a reader's tools use, fonts checked."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from meetops.agenda import services

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def planned(meeting, organiser):
    services.replace_agenda(
        meeting,
        items=[
            {"title": "开场致辞", "duration_minutes": 10, "presenter": "主持人"},
            {
                "title": "季度工作报告",
                "duration_minutes": 50,
                "presenter": "张教授",
                "room": "第一会议室",
            },
        ],
        actor=organiser,
    )
    return meeting


def _east_asia(element):
    fonts = element.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def test_docx_has_the_title_the_agenda_rows_and_chinese_fonts(client, organiser, planned):
    import docx

    client.force_login(organiser)
    response = client.get(reverse("meeting_plan_docx", args=[planned.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = docx.Document(io.BytesIO(response.content))
    title = document.paragraphs[0]
    assert title.text == "季度工作会议"
    assert _east_asia(title.runs[0]._r) == "方正小标宋简体"
    assert _east_asia(document.styles["Normal"].element) == "仿宋_GB2312"
    assert _east_asia(document.styles["Heading 1"].element) == "黑体"
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["09:00–09:10", "开场致辞", "主持人", "", "10"] in rows
    assert ["09:10–10:00", "季度工作报告", "张教授", "第一会议室", "50"] in rows
    fonts_xml = next(
        p.blob for p in document.part.package.parts if p.partname.endswith("fontTable.xml")
    ).decode()
    assert 'w:name="仿宋_GB2312"' in fonts_xml and 'w:altName w:val="宋体"' in fonts_xml


@pytest.mark.parametrize(("language", "face"), [("zh-hans", "SC"), ("zh-hant", "TC")])
def test_pdf_embeds_its_fonts_and_carries_the_chinese_title(
    client, organiser, planned, language, face
):
    from pypdf import PdfReader

    client.force_login(organiser)
    response = client.get(
        reverse("meeting_plan_pdf", args=[planned.pk]), headers={"Accept-Language": language}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "季度工作会议" in text and "季度工作报告" in text
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            fonts[str(described["/BaseFont"])] = {
                k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor
            }
    assert fonts, "the PDF uses no fonts"
    assert all(files & {"/FontFile2", "/FontFile3"} for files in fonts.values()), fonts
    # MeetOps's own Noto faces (core/fonts, whatever the machine has) drew the Chinese,
    # in the script's own face.
    names = [name.replace(" ", "").replace("-", "") for name in fonts]
    assert any(f"NotoSerif{face}" in name for name in names), fonts
