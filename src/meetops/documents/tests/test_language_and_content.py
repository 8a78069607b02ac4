"""Documents come in the meeting's language, say only what was written, and number decisions."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from meetops.minutes import demo

pytestmark = pytest.mark.django_db


def _docx_text(response) -> list[str]:
    import docx

    assert response.status_code == 200
    return [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]


def test_minutes_come_in_the_meetings_language_whoever_downloads(
    client, recorder, approved, issuer
):
    recorder.language = "en"
    recorder.save(update_fields=["language"])
    client.force_login(recorder)
    text = _docx_text(client.get(reverse("minutes_docx", args=[approved.meeting_id])))
    assert text[0] == "某某市信息中心会议纪要"
    assert "四、会议总结" in text
    assert not any("Minutes" in line or "Closing summary" in line for line in text)
    # The page around it still speaks English to this reader.
    page = client.get(reverse("minutes", args=[approved.meeting_id])).content.decode()
    assert 'lang="en"' in page


def test_a_meeting_in_english_gets_english_documents(client, recorder, approved, issuer):
    meeting = approved.meeting
    meeting.language = "en"
    meeting.save(update_fields=["language"])
    client.force_login(recorder)  # a zh-Hans reader
    text = _docx_text(client.get(reverse("minutes_docx", args=[approved.meeting_id])))
    assert text[0] == "某某市信息中心 meeting minutes"
    assert "Present: 张明、王芳" not in text  # no sign-ins in this test: everyone listed
    assert any(line.startswith("Present: ") for line in text)
    assert "(not recorded)" in text


def test_a_traditional_meeting_is_written_in_traditional_chinese(
    client, recorder, approved, issuer
):
    meeting = approved.meeting
    meeting.language = "zh-hant"
    meeting.save(update_fields=["language"])
    client.force_login(recorder)
    response = client.get(reverse("minutes_docx", args=[approved.meeting_id]))
    text = _docx_text(response)
    assert text[0] == "某某市信息中心會議紀要"
    assert "（未記錄）" in text


def test_items_with_nothing_written_are_marked_not_invented(client, recorder, approved, issuer):
    client.force_login(recorder)
    text = _docx_text(client.get(reverse("minutes_docx", args=[approved.meeting_id])))
    third = text.index("三、其他事项")
    assert text[third + 1] == "（未记录）"
    assert not any("进行了讨论" in line for line in text)


def test_decisions_are_numbered_as_decisions_with_or_without_votes(
    client, recorder, approved, issuer
):
    client.force_login(recorder)
    text = _docx_text(client.get(reverse("minutes_docx", args=[approved.meeting_id])))
    second = text.index("二、网络升级")
    assert text[second + 1] == "（一）同意网络升级预算十万元（表决结果：赞成7票，反对1票，弃权0票）"
    assert text[second + 2] == "（二）信息中心十一月底前提交实施计划"
    # A single decision of an item is its paragraph, after the notes.
    first = text.index("一、档案数字化方案")
    assert text[first + 2] == "同意启动档案数字化工作，由办公室牵头，年底前完成方案。"
    assert "2026" not in text[1]  # the number line is 第1期, not a date


def test_a_draft_takes_no_number(client, recorder, written, issuer):
    from meetops.documents.models import IssuedNumber

    client.force_login(recorder)
    text = _docx_text(client.get(reverse("minutes_docx", args=[written.meeting_id])))
    assert text[1] == "（未编号）"
    assert not IssuedNumber.objects.exists()


def test_the_demo_writes_no_filler_for_items_it_did_not_discuss(meeting, organiser):
    minutes = demo._write(meeting, organiser)
    notes = [s.notes for s in minutes.sections.all()]
    assert not any("进行了讨论" in n for n in notes)


def test_the_notice_is_numbered_and_lists_the_agenda(client, organiser, meeting, issuer, member):
    client.force_login(organiser)
    text = _docx_text(client.get(reverse("meeting_notice_docx", args=[meeting.pk])))
    assert text[0] == "某某市信息中心"
    assert text[1].startswith("某信办〔") and text[1].endswith("〕1号")
    assert text[3] == "某某市信息中心关于召开年度档案工作会议的通知"
    assert "为部署档案数字化工作，经研究，决定召开年度档案工作会议。现将有关事项通知如下：" in text
    assert "1.档案数字化方案" in text
    client.force_login(member)
    assert client.get(reverse("meeting_notice_pdf", args=[meeting.pk])).status_code == 403


def test_the_meetings_document_language_is_set_through_the_service(meeting, organiser):
    from meetops.core.errors import ValidationFailed
    from meetops.meetings.services import update_meeting

    update_meeting(meeting, actor=organiser, language="zh-hant")
    meeting.refresh_from_db()
    assert meeting.language == "zh-hant"
    with pytest.raises(ValidationFailed) as error:
        update_meeting(meeting, actor=organiser, language="fr")
    assert error.value.code == "unknown_language"


def test_the_meeting_page_offers_the_notice_to_its_organisers_only(
    client, organiser, member, meeting
):
    notice = reverse("meeting_notice_docx", args=[meeting.pk])
    client.force_login(organiser)
    assert notice in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    client.force_login(member)
    assert notice not in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
