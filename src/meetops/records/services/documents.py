"""Documents and their versions: storing, stamping and checking files, uploads, corrections
and logged access."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.filetypes import DOCUMENT_TYPES, checked_type
from meetops.people.models import User
from meetops.records import errors, inspection, naming, search
from meetops.records.models import (
    AccessAction,
    AccessLog,
    Category,
    Document,
    DocumentVersion,
    Dossier,
    DossierStatus,
    IntegrityReport,
    RetentionRule,
)
from meetops.records.permissions import can_change_dossier
from meetops.records.services.scheme import _department_code, _next_item_number, scheme
from meetops.records.stamp import StampFields, stamp_pdf
from meetops.records.text import extract_text, page_count

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _longest(rules: Iterable[RetentionRule]) -> RetentionRule | None:
    rules = list(rules)
    if not rules:
        return None
    permanent = [r for r in rules if r.years is None]
    return permanent[0] if permanent else max(rules, key=lambda r: r.years or 0)


def _refresh_retention(dossier: Dossier) -> None:
    """The dossier is kept as long as its longest-kept category (permanent wins)."""
    rules = RetentionRule.objects.filter(category__document__dossier=dossier).distinct()
    rule = _longest(rules) or dossier.retention
    dossier.retention = rule
    dossier.retain_until = None if rule.years is None else date(dossier.year + rule.years, 12, 31)
    dossier.save(update_fields=["retention", "retain_until"])


def _stamped(document: Document, data: bytes) -> bytes:
    """The PDF with the 归档章 of its 件 on the first page (corrections carry it too)."""
    rules = scheme()
    retention = document.retention or document.category.retention
    return stamp_pdf(
        data,
        StampFields(
            fonds=rules.fonds_code,
            year=document.dossier.year,
            item=document.item_number or 0,
            org=_department_code(document.dossier.meeting),
            retention=retention.code_in_number,
            pages=page_count("pdf", data),
        ),
    )


def _store(
    document: Document, *, data: bytes, ext: str, actor: User | None, reason: str = ""
) -> DocumentVersion:
    """A new version of the document's file, named by the rule, with its checksum and text."""
    dossier = document.dossier
    meeting = dossier.meeting
    if ext.lower() == "pdf" and document.item_number is not None:
        data = _stamped(document, data)
    number = (
        document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    name = naming.file_name(
        scheme().file_name_pattern,
        meeting_title=meeting.title,
        day=timezone.localtime(meeting.start).date(),
        category_name=document.category.name_zh_hans,
        category_code=document.category.code,
        seq=document.seq,
        ext=ext,
        number=dossier.archive_number,
    )
    if number > 1:
        stem, _dot, suffix = name.rpartition(".")
        name = f"{stem}_v{number}.{suffix}"
    version = DocumentVersion(
        document=document,
        number=number,
        file_name=name,
        media_type=DOCUMENT_TYPES.get(ext, "application/octet-stream"),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=extract_text(ext, data),
        reason=reason,
        created_by=actor,
    )
    # Stored by core.storage: deleted again if the caller's transaction rolls back.
    version.file.save(name, ContentFile(data), save=False)
    version.save()
    document.current = version
    document.save(update_fields=["current"])
    search.index_document(document)
    return version


def _new_document(
    dossier: Dossier,
    *,
    category: Category,
    title: str,
    source: str,
    data: bytes,
    ext: str,
    actor: User | None,
) -> Document:
    """A new 件 with its 档号; a PDF gets the 归档章 on its first page before it is stored."""
    last = dossier.documents.order_by("-seq").values_list("seq", flat=True).first() or 0
    number, item = _next_item_number(dossier, category.retention)
    meeting = dossier.meeting
    pages = page_count(ext, data)
    department = meeting.department if meeting.department_id else None
    document = Document.objects.create(
        dossier=dossier,
        category=category,
        seq=last + 1,
        title=title[:300],
        source=source,
        archive_number=number,
        item_number=item,
        retention=category.retention,
        pages=pages,
        author=department.name if department else "",
        dated=timezone.localtime(meeting.start).date(),
    )
    _store(document, data=data, ext=ext, actor=actor)
    return document


def _stored(documents: Iterable[Document]) -> list[inspection.Stored]:
    """What storage holds for each document's current version, for the fixity check."""
    found = []
    for document in documents:
        version = document.current
        if version is None:
            continue
        try:
            with version.file.open("rb") as f:
                held: bytes | None = f.read()
        except (OSError, ValueError):
            held = None
        found.append(
            inspection.Stored(
                name=version.file_name,
                sha256=version.sha256,
                size=version.size,
                stored=held,
                archive_number=document.archive_number or document.dossier.archive_number,
                retention_code=(document.retention or document.category.retention).code_in_number,
                year=document.dossier.year,
            )
        )
    return found


def _check_and_keep(
    dossier: Dossier, added: list[Document], report: inspection.Report, actor: User
) -> IntegrityReport | None:
    """Verify what was stored; a failure rolls the filing back, a pass is kept in the dossier."""
    if not added:
        return None
    inspection.verify_stored(_stored(added), report)
    report.raise_if_failed()
    return IntegrityReport.objects.create(
        dossier=dossier, passed=True, results=report.results(), run_by=actor
    )


def _checked_upload(upload: UploadedFile) -> tuple[bytes, str]:
    checked_type(
        upload,
        limit=MAX_UPLOAD_BYTES,
        too_large=lambda: ValidationFailed(_("The file is larger than 50 MB."), "file_too_large"),
        refused=lambda: ValidationFailed(
            _("This kind of file cannot be archived, or its content does not match its name."),
            "file_type_refused",
        ),
    )
    name = upload.name or ""
    upload.seek(0)
    return upload.read(), name.rsplit(".", 1)[-1].lower()


def _lock_changeable(dossier: Dossier, actor: User) -> Dossier:
    # The row is locked alone, then read with its relations. PostgreSQL re-checks a locked
    # row's joins against the joined rows it read first: a concurrent filing that moved the
    # dossier to a longer retention would make it vanish from a locking join.
    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk", flat=True).get()
    locked = Dossier.objects.select_related("meeting", "retention").get(pk=dossier.pk)
    if not can_change_dossier(actor, locked):
        if locked.status == DossierStatus.FILED:
            raise PermissionDenied()
        raise errors.dossier_locked(locked)
    return locked


def add_document(
    dossier: Dossier, *, actor: User, category: Category, title: str, upload: UploadedFile
) -> Document:
    """Archive an uploaded file (speech, questionnaire, photo …) in the dossier."""
    title = title.strip()
    if not title:
        raise ValidationFailed(_("Give the document a title."), "title_required")
    data, ext = _checked_upload(upload)
    report = inspection.inspect_files(
        [inspection.Candidate(upload.name or title, ext, data, title, category.code)]
    )
    report.raise_if_failed()
    with transaction.atomic():
        dossier = _lock_changeable(dossier, actor)
        document = _new_document(
            dossier,
            category=category,
            title=title,
            source="upload",
            data=data,
            ext=ext,
            actor=actor,
        )
        _check_and_keep(dossier, [document], report, actor)
        _refresh_retention(dossier)
        audit.record(
            "records.document.added",
            dossier,
            actor=actor,
            data={
                "document": document.pk,
                "file": document.current.file_name if document.current else "",
                "category": category.code,
            },
        )
    return document


def correct_document(
    document: Document, *, actor: User, upload: UploadedFile, reason: str
) -> DocumentVersion:
    """A correction after archiving (P7.7): a new version with a reason; the old one stays."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say why the document is corrected."), "reason_required")
    data, ext = _checked_upload(upload)
    report = inspection.inspect_files(
        [inspection.Candidate(upload.name or document.title, ext, data, document.title, "-")]
    )
    report.raise_if_failed()
    with transaction.atomic():
        _lock_changeable(document.dossier, actor)
        document = (
            Document.objects.select_for_update()
            .select_related("dossier__meeting", "category")
            .get(pk=document.pk)
        )
        previous = document.current
        version = _store(document, data=data, ext=ext, actor=actor, reason=reason)
        _check_and_keep(document.dossier, [document], report, actor)
        audit.record(
            "records.document.corrected",
            document.dossier,
            actor=actor,
            data={
                "document": document.pk,
                "version": version.number,
                "file": version.file_name,
                "previous_sha256": previous.sha256 if previous else "",
                "sha256": version.sha256,
                "reason": reason,
            },
        )
    return version


def open_version(version: DocumentVersion, *, actor: User, action: str) -> bytes:
    """The file's bytes after checking them against the archived SHA-256; the access is logged.

    The caller has authorised the actor to see the dossier. A file that no longer matches its
    checksum is refused (`checksum_mismatch`) rather than handed out.
    """
    if not version.file:
        raise errors.file_gone()
    try:
        with version.file.open("rb") as f:
            data = f.read()
    except OSError:
        raise errors.file_gone() from None
    _log_access(dossier_id=version.document.dossier_id, version=version, actor=actor, action=action)
    if hashlib.sha256(data).hexdigest() != version.sha256:
        raise DomainError(
            _("The archived file no longer matches its checksum. Tell the archivist."),
            "checksum_mismatch",
            file=version.file_name,
        )
    return data


def log_dossier_view(dossier: Dossier, *, actor: User) -> None:
    """Put a view of the dossier's page in the access log. The caller has authorised the actor."""
    _log_access(dossier_id=dossier.pk, version=None, actor=actor, action=AccessAction.VIEW)


def _log_access(
    *, dossier_id: int, version: DocumentVersion | None, actor: User, action: str
) -> None:
    context = audit.current_context()
    AccessLog.objects.create(
        dossier_id=dossier_id,
        version=version,
        user=actor,
        action=action,
        source=context.source,
        ip_address=context.ip_address,
    )


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        default_storage.delete(path)
