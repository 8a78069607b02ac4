"""The report as PDF and DOCX (the official 报告 of the documents app); the 批示 are there."""

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


def test_docx_is_the_official_report_with_the_instructions(client, organiser, approved):
    import docx

    client.force_login(organiser)
    response = client.get(reverse("summary_report_docx", args=[approved.meeting_id]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "办公室"  # the issuing body's red mark (settings: documents)
    assert "会议总结报告：季度工作会议" in text
    assert "二、会议议题" in text
    assert "特此报告。" in text
    assert "领导批示" in text
    assert any("抓紧落实预算" in line and line.startswith("leader") for line in text)
    assert any("无批示意见。" in line and "leader2" in line for line in text)


def test_pdf_has_the_chinese_text_and_embeds_its_fonts(client, organiser, approved):
    from pypdf import PdfReader

    client.force_login(organiser)
    response = client.get(reverse("summary_report_pdf", args=[approved.meeting_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "会议总结报告" in text and "抓紧落实预算" in text and "领导批示" in text
    assert "特此报告。" in text
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


def test_the_draft_is_in_the_meetings_language_whoever_drafts_it(approved):
    from django.utils import translation

    from meetops.reports.drafting import draft_content

    with translation.override("zh-hant"):
        content = draft_content(approved.meeting)
    assert content["title"].startswith("会议总结报告：")
