"""Agenda materials are checked by content: documents in, executables and markup out."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetops.agenda import services
from meetops.agenda.models import AgendaItem
from meetops.core.errors import ValidationFailed

HTMX = {"HX-Request": "true"}


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("第三季度工作报告")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(macros: bool = False) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["部门", "人数"])
    out = io.BytesIO()
    book.save(out)
    if not macros:
        return out.getvalue()
    with zipfile.ZipFile(out, "a") as archive:  # what Excel adds to an .xlsm
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return out.getvalue()


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>会议材料</p>").write_pdf()


def _odf(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def _pptx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return out.getvalue()


def _ole2(stream: str) -> bytes:
    """The header and one directory sector of a compound file with the named stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3)
    header = header.ljust(512, b"\x00")
    entry = ("Root Entry".encode("utf-16-le").ljust(64, b"\x00") + b"\x16\x00\x05").ljust(
        128, b"\x00"
    )
    named = (stream.encode("utf-16-le").ljust(64, b"\x00") + b"\x1a\x00\x02").ljust(128, b"\x00")
    return header + entry + named + b"\x00" * 256


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def _elf() -> bytes:
    return Path(shutil.which("true") or "/bin/true").read_bytes()


ACCEPTED = [
    ("报告.docx", _docx),
    ("统计.xlsx", _xlsx),
    ("议程.pdf", _pdf),
    ("讲稿.pptx", _pptx),
    ("纪要.odt", lambda: _odf("text")),
    ("预算.ods", lambda: _odf("spreadsheet")),
    ("演示.odp", lambda: _odf("presentation")),
    ("旧版.doc", lambda: _ole2("WordDocument")),
    ("旧表.xls", lambda: _ole2("Workbook")),
    ("旧稿.ppt", lambda: _ole2("PowerPoint Document")),
    ("平面图.png", _png),
    ("照片.JPG", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64),
    ("说明.txt", lambda: "第三季度数据\n".encode()),
    ("说明-gbk.txt", lambda: "第三季度数据\n".encode("gb18030")),
    ("README.md", lambda: b"# Agenda\n\n- item <b>one</b>\n"),
]

REFUSED = [
    ("程序.exe", lambda: b"MZ\x90\x00" + b"\x00" * 60),
    ("报告.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 60),  # a Windows program named .pdf
    ("报告.txt", _elf),  # a Linux program named .txt
    ("页面.html", lambda: b"<!doctype html><p>hi</p>"),
    ("页面.txt", lambda: b"\n  <html><script>alert(1)</script></html>"),
    ("图.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("图.png", lambda: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("宏.xlsx", lambda: _xlsx(macros=True)),
    ("伪装.docx", _xlsx),  # a workbook named as a Word file
    ("压缩包.zip", _docx),
    ("安装包.doc", lambda: _ole2("SummaryInformation")),  # an installer is OLE2 too
    ("无扩展名", lambda: b"plain words"),
]


@pytest.mark.parametrize(("name", "make"), ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_documents_are_accepted_by_content(organiser, meeting, name, make):
    item = services.add_item(
        meeting,
        actor=organiser,
        title="议题",
        duration_minutes=30,
        materials=SimpleUploadedFile(name, make()),
    )
    assert item.materials


@pytest.mark.parametrize(("name", "make"), REFUSED, ids=[n for n, _ in REFUSED])
def test_executables_markup_and_archives_are_refused(organiser, meeting, name, make):
    with pytest.raises(ValidationFailed) as exc:
        services.add_item(
            meeting,
            actor=organiser,
            title="议题",
            duration_minutes=30,
            materials=SimpleUploadedFile(name, make()),
        )
    assert exc.value.code == "unsupported_file_type" and exc.value.status == 422
    assert exc.value.details["field"] == "materials"
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "content must match"),
        ("zh-hans", "内容须与文件名相符"),
        ("zh-hant", "內容須與檔名相符"),
    ],
)
def test_agenda_page_refuses_an_executable_in_the_reader_language(
    client, organiser, meeting, language, words
):
    client.force_login(organiser)
    response = client.post(
        reverse("agenda_item_add", args=[meeting.pk]),
        {
            "title": "报告",
            "duration_minutes": 30,
            "materials": SimpleUploadedFile("报告.pdf", _elf()),
        },
        headers={**HTMX, "Accept-Language": language},
    )
    assert words in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_api_refuses_html_and_serves_accepted_files_with_their_type(
    api_as, client, organiser, meeting
):
    item = services.add_item(meeting, actor=organiser, title="议题", duration_minutes=30)
    url = f"/api/v1/meetings/{meeting.pk}/agenda/items/{item.pk}/materials"
    headers = api_as(organiser).headers
    refused = client.post(
        url,
        {"file": SimpleUploadedFile("页面.txt", b"<html><body>x</body></html>")},
        headers=headers,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "unsupported_file_type"
    accepted = client.post(url, {"file": SimpleUploadedFile("报告.docx", _docx())}, headers=headers)
    assert accepted.status_code == 200, accepted.content
    client.force_login(organiser)
    download = client.get(accepted.json()["materials_url"])
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert download["X-Content-Type-Options"] == "nosniff"
