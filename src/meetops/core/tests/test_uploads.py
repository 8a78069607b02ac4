"""The one check behind every upload (core.filetypes.checked_type): size, extension, content,
each refusal in the caller's own coded error."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.core.errors import ValidationFailed
from meetops.core.filetypes import checked_type

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def refused() -> ValidationFailed:
    return ValidationFailed("refused", "bad_file", field="file")


def too_large() -> ValidationFailed:
    return ValidationFailed("too large", "file_too_large")


def test_a_document_whose_content_matches_its_name_is_typed_by_content() -> None:
    upload = SimpleUploadedFile("Report.PDF", PDF)
    assert checked_type(upload, limit=len(PDF), refused=refused) == "application/pdf"
    # The check leaves the file at its start, ready to be stored whole.
    assert upload.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # an executable named as a PDF
        ("page.txt", b"<html><script>alert(1)</script>"),
        ("setup.exe", b"MZ\x90\x00"),
        ("noextension", PDF),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused_with_the_callers_code(
    name: str, content: bytes
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        checked_type(SimpleUploadedFile(name, content), limit=10_000, refused=refused)
    assert caught.value.code == "bad_file" and caught.value.details == {"field": "file"}


def test_an_extension_outside_the_allowed_few_is_refused_though_its_content_is_sound() -> None:
    upload = SimpleUploadedFile("notes.txt", "会议纪要".encode())
    assert checked_type(upload, limit=100, refused=refused) == "text/plain"
    with pytest.raises(ValidationFailed) as caught:
        checked_type(upload, limit=100, refused=refused, allowed=("pdf", "png"))
    assert caught.value.code == "bad_file"


def test_a_file_over_the_limit_is_refused_as_too_large_when_the_caller_tells_it_apart() -> None:
    upload = SimpleUploadedFile("report.pdf", PDF)
    with pytest.raises(ValidationFailed) as caught:
        checked_type(upload, limit=len(PDF) - 1, refused=refused, too_large=too_large)
    assert caught.value.code == "file_too_large"
    with pytest.raises(ValidationFailed) as caught:
        checked_type(upload, limit=len(PDF) - 1, refused=refused)
    assert caught.value.code == "bad_file"


def test_a_file_whose_size_is_unknown_is_not_waved_through() -> None:
    upload = SimpleUploadedFile("report.pdf", PDF)
    upload.size = None  # type: ignore[assignment]
    with pytest.raises(ValidationFailed):
        checked_type(upload, limit=10_000, refused=refused)
