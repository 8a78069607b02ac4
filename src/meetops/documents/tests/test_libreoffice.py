"""The DOCX opened by LibreOffice, as an office would, looks like the PDF we make.

Converted with `soffice --headless --convert-to pdf`, the 纪要 DOCX has the same number of
pages and the same text as the PDF MeetOps renders from the same page description. The
conversion runs with MeetOps's fontconfig, which maps the DOCX's font names (仿宋_GB2312, …)
onto the faces the PDF embeds.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections import Counter

import pytest
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not shutil.which("soffice"),
        reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer",
    ),
]


def _paragraphs(docx: bytes) -> list[str]:
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(docx))
    found = [re.sub(r"\s+", "", p.text) for p in document.paragraphs]
    # The issuer line's two ends are tab-separated parts of one paragraph.
    return [p for p in found if p and not p.startswith(("某某市信息中心2", "某某市信息中心\t"))]


def _text(content: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", "", text)


def test_libreoffice_gives_the_same_pages_and_text_as_our_pdf(
    client, recorder, approved, on_leave, issuer, tmp_path
):
    client.force_login(recorder)
    ours = client.get(reverse("minutes_pdf", args=[approved.meeting_id])).content
    docx = client.get(reverse("minutes_docx", args=[approved.meeting_id])).content
    source = tmp_path / "minutes.docx"
    source.write_bytes(docx)
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = (tmp_path / "minutes.pdf").read_bytes()
    our_pages, our_text = _text(ours)
    their_pages, their_text = _text(converted)
    assert their_pages == our_pages
    # The same characters, and every paragraph whole in both; only the order in which a
    # text extractor meets floated parts (the date on the issuer line, the 版记) differs.
    assert Counter(their_text) == Counter(our_text)
    for paragraph in _paragraphs(docx):
        assert paragraph in our_text and paragraph in their_text, paragraph
