"""What an uploaded file is, read from its content rather than its name.

`image_type` looks at the first bytes; `document_type` opens the file as far as needed
(ZIP directory, OLE2 stream names, text decoding) and also requires the name's extension
to agree, so a download can be served with a type that matches what is inside.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Collection
from typing import IO, cast

from django.core.files import File

from meetops.core.errors import DomainError

# extension → media type, for the documents an agenda item may carry.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "md": "text/markdown",
}

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream that makes an OLE2 file a Word, Excel or PowerPoint file (not an installer).
OLE2_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
    "ppt": ("PowerPoint Document",),
}
OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
# Markup a browser would run or render if it ever sniffed the file: refused as text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head", b"<iframe")


def checked_type(
    upload: File,
    *,
    limit: int,
    refused: Callable[[], DomainError],
    too_large: Callable[[], DomainError] | None = None,
    allowed: Collection[str] | None = None,
) -> str:
    """The media type of an upload of at most `limit` bytes whose content is what its name says.

    The one check behind every upload, page or API: the extension must be one of `allowed`
    (else any of DOCUMENT_TYPES) and the content must match it (`document_type`). Refused
    with the caller's own coded error, so each endpoint keeps its stable code and the API
    answers in the one error shape: `too_large()` for the size when given, else `refused()`.
    A size the storage cannot tell is read as too large rather than waved through.
    """
    if upload.size is None or upload.size > limit:
        raise (too_large or refused)()
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if allowed is not None and ext not in allowed:
        raise refused()
    media_type = document_type(name, cast(IO[bytes], upload))
    if media_type is None:
        raise refused()
    return media_type


def image_type(head: bytes) -> str | None:
    """JPEG, PNG or WebP from the first 16 bytes, whatever the file is called."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def document_type(name: str, stream: IO[bytes]) -> str | None:
    """The media type of an allowed document whose content matches its extension, else None.

    Refused: executables, HTML, SVG, scripts, macro-enabled Office files, installers, and
    archives (a ZIP could hold any of those).
    """
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in DOCUMENT_TYPES:
        return None
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    if _content_matches(ext, data, stream):
        return DOCUMENT_TYPES[ext]
    return None


def _content_matches(ext: str, data: bytes, stream: IO[bytes]) -> bool:
    if ext == "pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if ext in ("png", "jpg", "jpeg"):
        return image_type(data[:16]) == DOCUMENT_TYPES[ext]
    if ext in OLE2_STREAMS:
        return data.startswith(OLE2) and any(
            s.encode("utf-16-le") in data for s in OLE2_STREAMS[ext]
        )
    if ext in OOXML_PARTS or ext in ODF_MIMETYPES:
        return _zip_document(ext, stream)
    return _plain_text(data)


def _zip_document(ext: str, stream: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if ext in OOXML_PARTS:
                macros = any(n.lower().endswith("vbaproject.bin") for n in names)
                return "[Content_Types].xml" in names and OOXML_PARTS[ext] in names and not macros
            return "mimetype" in names and archive.read("mimetype").strip() == ODF_MIMETYPES[ext]
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False
    finally:
        stream.seek(0)


def _plain_text(data: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    if CONTROL.search(text):
        return False  # binary content (NUL bytes, an executable) is not text
    head = data[:2048].lstrip().lower()
    return not any(marker in head for marker in MARKUP)
