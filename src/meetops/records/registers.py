"""Exporting the archive's standard forms: the destruction register (销毁清册) and the
归档文件目录. Each export is audited with the SHA-256 of the file handed out, so a printed and
signed copy can be matched to what the system produced."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.people.models import User
from meetops.records import exports, selectors
from meetops.records.models import RetentionRule
from meetops.records.permissions import is_archivist
from meetops.records.services import scheme

FORMATS = ("xlsx", "pdf")


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    file_name: str
    sha256: str


def _export(
    kind: str, content: bytes, fmt: str, name: str, *, actor: User, **data: object
) -> Export:
    digest = exports.sha256(content)
    audit.record(
        f"records.{kind}.exported",
        scheme(),
        actor=actor,
        data={"format": fmt, "sha256": digest, "bytes": len(content), **data},
    )
    media = exports.XLSX if fmt == "xlsx" else "application/pdf"
    return Export(content, media, f"{name}.{fmt}", digest)


def export_register(*, actor: User, fmt: str) -> Export:
    """The whole destruction register; archivists only."""
    if not is_archivist(actor):
        raise PermissionDenied()
    rows = list(selectors.destruction_register())
    content = exports.register_xlsx(rows) if fmt == "xlsx" else exports.register_pdf(rows)
    return _export(
        "register", content, fmt, "destruction-register", actor=actor, destructions=len(rows)
    )


def export_catalogue(
    *, actor: User, fmt: str, year: int | None = None, retention: RetentionRule | None = None
) -> Export:
    """The 归档文件目录 of a year (optionally one retention period); archivists only."""
    if not is_archivist(actor):
        raise PermissionDenied()
    year = year or timezone.localdate().year
    documents = list(selectors.catalogue(year, retention=retention))
    if fmt == "xlsx":
        content = exports.catalogue_xlsx(documents, year=year)
    else:
        content = exports.catalogue_pdf(documents, year=year, scheme=scheme(), retention=retention)
    suffix = f"-{retention.code_in_number}" if retention else ""
    return _export(
        "catalogue",
        content,
        fmt,
        f"catalogue-{year}{suffix}",
        actor=actor,
        year=year,
        documents=len(documents),
    )
