"""四性检测 at filing (DA/T 70-2018): authenticity, integrity, usability and security of each 件.

`inspect_files` runs before anything is written (the file opens, carries no active content, has
its metadata); `verify_stored` runs after the files are stored (what storage holds has the
SHA-256 recorded, the metadata has valid values). A failing check blocks filing with the list
of findings; a passing report is kept with the dossier (`IntegrityReport`).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.core.errors import ValidationFailed

AUTHENTICITY, INTEGRITY, USABILITY, SECURITY = "authenticity", "integrity", "usability", "security"
CHECKS = (AUTHENTICITY, INTEGRITY, USABILITY, SECURITY)
RETENTION_CODE = re.compile(r"^(Y|D\d{1,3})$")
# Names in a PDF that run code or open other files when the document is viewed.
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def check_names() -> dict[str, str]:
    return {
        AUTHENTICITY: pgettext("archive check", "Authenticity"),
        INTEGRITY: pgettext("archive check", "Integrity"),
        USABILITY: pgettext("archive check", "Usability"),
        SECURITY: pgettext("archive check", "Security"),
    }


@dataclass(frozen=True)
class Candidate:
    """A file about to be filed, with the metadata it will carry."""

    name: str
    ext: str
    data: bytes
    title: str
    category: str


@dataclass
class Report:
    findings: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CHECKS})

    def add(self, check: str, text: str) -> None:
        self.findings[check].append(text)

    @property
    def passed(self) -> bool:
        return not any(self.findings.values())

    def results(self) -> list[dict[str, object]]:
        return [
            {"check": c, "passed": not self.findings[c], "findings": self.findings[c]}
            for c in CHECKS
        ]

    def raise_if_failed(self) -> None:
        if self.passed:
            return
        lines = [f"{check_names()[c]}: {text}" for c in CHECKS for text in self.findings[c]]
        raise ValidationFailed(
            _("The archive checks (四性检测) failed: %(findings)s")
            % {"findings": "; ".join(lines)},
            "archive_checks_failed",
            findings=self.results(),
        )


def _usable_pdf(data: bytes) -> bool:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        return not reader.is_encrypted and len(reader.pages) > 0
    except Exception:  # any parse error: not usable
        return False


def _usable_zip_office(data: bytes, ext: str) -> bool:
    try:
        if ext == "docx":
            from docx import Document

            Document(io.BytesIO(data))
        else:
            from openpyxl import load_workbook

            load_workbook(io.BytesIO(data), read_only=True).close()
        return True
    except Exception:  # any parse error: not usable
        return False


def _has_macro(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(n.lower().endswith("vbaproject.bin") for n in z.namelist())
    except zipfile.BadZipFile:
        return False


def inspect_files(candidates: Iterable[Candidate], report: Report | None = None) -> Report:
    """Integrity, usability and security of each file before it is stored."""
    report = report or Report()
    for c in candidates:
        ext = c.ext.lower()
        if not c.data:
            report.add(INTEGRITY, _("%(name)s is empty.") % {"name": c.name})
        if not c.title.strip() or not c.category:
            report.add(INTEGRITY, _("%(name)s lacks its title or category.") % {"name": c.name})
        if ext == "pdf" and not _usable_pdf(c.data):
            report.add(USABILITY, _("%(name)s does not open as a PDF.") % {"name": c.name})
        if ext in ("docx", "xlsx") and not _usable_zip_office(c.data, ext):
            report.add(USABILITY, _("%(name)s does not open.") % {"name": c.name})
        if ext == "pdf" and any(marker in c.data for marker in PDF_ACTIVE):
            report.add(
                SECURITY, _("%(name)s contains scripts or embedded files.") % {"name": c.name}
            )
        if ext in ("docx", "xlsx", "pptx") and _has_macro(c.data):
            report.add(SECURITY, _("%(name)s contains macros.") % {"name": c.name})
        if c.data.startswith(EXECUTABLE_MAGIC):
            report.add(SECURITY, _("%(name)s is a program.") % {"name": c.name})
    return report


@dataclass(frozen=True)
class Stored:
    """A stored file and the metadata recorded with it."""

    name: str
    sha256: str
    size: int
    stored: bytes | None
    archive_number: str
    retention_code: str
    year: int


def verify_stored(items: Iterable[Stored], report: Report) -> Report:
    """Authenticity after storing: the bytes storage holds match the checksum and size
    recorded; the metadata has valid values (retention Y/D30/D10, a four-digit year)."""
    for item in items:
        if item.stored is None:
            report.add(INTEGRITY, _("%(name)s is missing from storage.") % {"name": item.name})
            continue
        if hashlib.sha256(item.stored).hexdigest() != item.sha256 or len(item.stored) != item.size:
            report.add(
                AUTHENTICITY,
                _("%(name)s does not match its recorded checksum.") % {"name": item.name},
            )
        if not item.archive_number:
            report.add(INTEGRITY, _("%(name)s has no archive number.") % {"name": item.name})
        if not RETENTION_CODE.match(item.retention_code) or not 1000 <= item.year <= 9999:
            report.add(
                AUTHENTICITY,
                _("%(name)s has an invalid retention code or year.") % {"name": item.name},
            )
    return report
