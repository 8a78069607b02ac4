"""The one way a download names its file (core/downloads.py)."""

from __future__ import annotations

import io
from urllib.parse import unquote

from meetops.core.downloads import content_disposition, download_response, stored_file


def _encoded(header: str) -> str:
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def test_a_chinese_name_goes_out_exact_and_with_an_ascii_fallback() -> None:
    header = content_disposition("季度工作会议-plan.pdf")
    assert header == (
        'attachment; filename="plan.pdf"; '
        "filename*=UTF-8''%E5%AD%A3%E5%BA%A6%E5%B7%A5%E4%BD%9C%E4%BC%9A%E8%AE%AE-plan.pdf"
    )
    assert _encoded(header) == "季度工作会议-plan.pdf"


def test_a_name_of_only_chinese_falls_back_to_download() -> None:
    header = content_disposition("纪要.docx", inline=True)
    assert header.startswith('inline; filename="download.docx"; filename*=')
    assert _encoded(header) == "纪要.docx"


def test_quotes_and_semicolons_cannot_break_out_of_the_header() -> None:
    header = content_disposition('a"b;c\\d\r\n.pdf')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "a_b_c_d.pdf"
    # The exact name survives, without the line break that would split the header.
    assert _encoded(header) == 'a"b;c\\d.pdf'
    assert header.count(";") == 2


def test_a_plain_ascii_name_stays_simple_and_the_caller_chooses_inline() -> None:
    assert content_disposition("rooms.xlsx") == 'attachment; filename="rooms.xlsx"'
    assert content_disposition("meetops-tasks.ics", inline=True) == (
        'inline; filename="meetops-tasks.ics"'
    )


def test_the_responses_carry_the_header() -> None:
    response = download_response(b"x", filename="签到表.pdf", content_type="application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert _encoded(response["Content-Disposition"]) == "签到表.pdf"
    streamed = stored_file(io.BytesIO(b"x"), filename="照片.png", inline=True)
    assert streamed["Content-Type"] == "image/png"  # guessed from the name when not given
    assert streamed["Content-Disposition"].startswith('inline; filename="download.png"')
    assert streamed["X-Content-Type-Options"] == "nosniff"
