"""The report as PDF and DOCX, opened with the libraries readers' tools use; Chinese text and the 批示 box are there."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from meetops.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(submitted, leader, leader2):
    services.approve_report(submitted, actor=leader, instructions="抓紧落实预算")
    return services.approve_report(submitted, actor=leader2)


def test_docx_has_the_sections_and_the_instructions_in_a_box(client, organiser, approved):
    import docx

    client.force_login(organiser)
    response = client.get(reverse("summary_report_docx", args=[approved.meeting_id]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "会议总结报告：季度工作会议"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "会议议题" in text and "2. 预算讨论" in text
    assert "同意增加差旅预算十万元（赞成 7，反对 1，弃权 0）" in text
    assert "领导批示" in text
    box = document.tables[-1]
    assert len(box.rows) == 1 and len(box.columns) == 1 and box.style.name == "Table Grid"
    boxed = box.rows[0].cells[0].text
    assert "抓紧落实预算" in boxed and "无批示意见。" in boxed and "leader2" in boxed


def test_pdf_has_the_chinese_text_and_embeds_its_fonts(client, organiser, approved):
    from pypdf import PdfReader

    client.force_login(organiser)
    response = client.get(reverse("summary_report_pdf", args=[approved.meeting_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "会议总结报告" in text and "抓紧落实预算" in text and "领导批示" in text
    fonts = [
        f
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
        if f.get_object().get("/DescendantFonts")
    ]
    assert fonts, "the CJK font is embedded"


def test_exports_follow_read_permissions(client, member, outsider, approved):
    client.force_login(member)
    assert client.get(reverse("summary_report_pdf", args=[approved.meeting_id])).status_code == 403
    client.force_login(outsider)
    meeting = approved.meeting
    meeting.confidentiality = "confidential"
    meeting.save(update_fields=["confidentiality"])
    assert client.get(reverse("summary_report_docx", args=[meeting.pk])).status_code == 404
