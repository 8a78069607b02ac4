"""An office's own DOCX template: checked on upload, used for the Word download."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.documents import services
from meetops.documents.models import Kind, OfficeTemplate

pytestmark = pytest.mark.django_db


def _docx(*lines: str) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        paragraph = document.add_paragraph()
        # Word splits what one types over several runs: the check must join them.
        half = len(line) // 2
        paragraph.add_run(line[:half])
        paragraph.add_run(line[half:])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GOOD = (
    "{{标志}}",
    "{{编号}}",
    "{{标题}}",
    "{{正文}}",
    "出席：{{出席}}",
    "{{印发机关}} {{印发日期}}印发",
)


def test_a_good_template_is_kept_with_its_placeholders(admin_user, issuer):
    template = services.upload_template(
        issuer, kind=Kind.MINUTES, filename="纪要.docx", content=_docx(*GOOD), actor=admin_user
    )
    assert template.placeholders == ["标志", "编号", "标题", "正文", "出席", "印发机关", "印发日期"]
    entry = AuditEntry.objects.get(action="documents.template.uploaded")
    assert entry.data["kind"] == "minutes"


def test_unknown_placeholders_are_named_in_a_translated_error(admin_user, issuer):
    from django.utils import translation

    with pytest.raises(ValidationFailed) as error:
        services.upload_template(
            issuer,
            kind=Kind.NOTICE,
            filename="x.docx",
            content=_docx("{{标题}}", "{{正文}}", "{{出席}}", "{{主题词}}"),
            actor=admin_user,
        )
    assert error.value.code == "unknown_placeholders"
    assert error.value.details["names"] == ["出席", "主题词"]  # 出席 belongs to minutes only
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as again:
        services.upload_template(
            issuer,
            kind=Kind.NOTICE,
            filename="x.docx",
            content=_docx("{{主题词}}"),
            actor=admin_user,
        )
    assert str(again.value.message).startswith("未知的占位符：{{主题词}}。")
    assert OfficeTemplate.objects.count() == 0


def test_missing_placeholders_and_non_docx_files_are_refused(admin_user, issuer):
    with pytest.raises(ValidationFailed) as missing:
        services.upload_template(
            issuer,
            kind=Kind.MINUTES,
            filename="x.docx",
            content=_docx("{{标题}}"),
            actor=admin_user,
        )
    assert missing.value.code == "missing_placeholders"
    assert missing.value.details["names"] == ["正文"]
    with pytest.raises(ValidationFailed) as broken:
        services.upload_template(
            issuer, kind=Kind.MINUTES, filename="x.docx", content=b"PK not a zip", actor=admin_user
        )
    assert broken.value.code == "not_a_docx"


def test_only_administrators_upload(member, issuer):
    with pytest.raises(PermissionDenied):
        services.upload_template(
            issuer, kind=Kind.MINUTES, filename="x.docx", content=_docx(*GOOD), actor=member
        )


def test_the_word_download_uses_the_offices_template(
    client, admin_user, recorder, approved, on_leave, issuer
):
    import docx

    services.upload_template(
        issuer, kind=Kind.MINUTES, filename="纪要.docx", content=_docx(*GOOD), actor=admin_user
    )
    client.force_login(recorder)
    response = client.get(reverse("minutes_docx", args=[approved.meeting_id]))
    text = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert text[0] == "某某市信息中心会议纪要"
    assert text[1] == "第1期"
    assert text[2] == "年度档案工作会议纪要"
    # {{正文}} became the body's paragraphs, headings numbered.
    assert "一、档案数字化方案" in text
    assert "（未记录）" in text
    assert "出席：张明、王芳" in text
    assert not any("{{" in line for line in text)


def test_the_settings_page_is_for_administrators_and_names_bad_placeholders(
    client, admin_user, member, issuer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("document_settings")
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "action": "upload",
            "kind": "minutes",
            "file": SimpleUploadedFile("x.docx", _docx("{{标题}}", "{{正文}}", "{{附件}}")),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "{{附件}}" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "settings",
            "name": "某某市信息中心办公室",
            "prefix": "某信办",
            "minutes_numbering": "issue",
            "copy_to": "市档案局",
        },
    )
    assert response.status_code == 302
    issuer.refresh_from_db()
    assert issuer.name == "某某市信息中心办公室"
    entry = AuditEntry.objects.get(action="documents.issuer.updated")
    assert entry.changes["name"] == ["某某市信息中心", "某某市信息中心办公室"]


def test_the_issuer_saved_as_it_was_writes_nothing_and_says_so(client, admin_user, issuer):
    """The settings sent back unchanged: no row written (updated_at kept), no audit entry, and
    the page says 未作修改; a real change is saved and audited as before."""
    settings = {
        "action": "settings",
        "name": "某某市信息中心办公室",
        "prefix": "某信办",
        "minutes_numbering": "issue",
        "copy_to": "市档案局",
    }
    client.force_login(admin_user)
    url = reverse("document_settings")
    page = client.post(url, settings, follow=True, headers={"Accept-Language": "zh-hans"})
    assert "未作修改" not in page.content.decode()
    entries = AuditEntry.objects.filter(action="documents.issuer.updated")
    assert entries.count() == 1
    issuer.refresh_from_db()
    stamped = issuer.updated_at
    page = client.post(url, settings, follow=True, headers={"Accept-Language": "zh-hans"})
    assert "未作修改" in page.content.decode()
    issuer.refresh_from_db()
    assert issuer.updated_at == stamped and entries.count() == 1
    saved = services.update_issuer(issuer, actor=admin_user, copy_to="市档案局")
    assert saved.updated_at == stamped and entries.count() == 1
