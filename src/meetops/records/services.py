"""Writes to the archive. Every function: keyword-only actor, authorisation, one transaction,
row locks where people race, an audit entry, file deletions only after commit."""

from __future__ import annotations

import contextvars
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.filetypes import DOCUMENT_TYPES, document_type
from meetops.meetings.models import Meeting
from meetops.people.models import Department, User
from meetops.records import errors, inspection, naming, search
from meetops.records.decisions import DESTRUCTION
from meetops.records.gather import gather
from meetops.records.models import (
    AccessAction,
    AccessLog,
    Category,
    DepartmentCode,
    Destruction,
    DestructionStatus,
    Document,
    DocumentVersion,
    Dossier,
    DossierStatus,
    IntegrityReport,
    Loan,
    NumberCounter,
    PaperItem,
    RetentionRule,
    Scheme,
    YearReview,
)
from meetops.records.permissions import (
    can_approve_destruction,
    can_change_dossier,
    can_file_meeting,
    is_archivist,
)
from meetops.records.selectors import missing_categories
from meetops.records.stamp import StampFields, stamp_pdf
from meetops.records.text import extract_text, page_count

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def scheme() -> Scheme:
    return Scheme.objects.get_or_create(
        pk=1,
        defaults={
            "fonds_code": settings.MEETOPS_ARCHIVE_FONDS_CODE,
            "class_code": settings.MEETOPS_ARCHIVE_CLASS_CODE,
        },
    )[0]


def _year_of(meeting: Meeting) -> int:
    return timezone.localtime(meeting.start).year


def _next_number(meeting: Meeting, pattern: str) -> str:
    """The next archive number for the meeting's year and kind, taken under a row lock."""
    year, kind = _year_of(meeting), meeting.kind.code
    key = naming.number_prefix(pattern, year=year, kind=kind)[:100]
    NumberCounter.objects.get_or_create(key=key)
    counter = NumberCounter.objects.select_for_update().get(key=key)
    while True:  # a number someone typed by hand (or an old rule) may already be taken
        counter.last += 1
        number = naming.archive_number(pattern, year=year, kind=kind, seq=counter.last)
        if not Dossier.objects.filter(archive_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


def _department_code(meeting: Meeting) -> str:
    if meeting.department_id is None:
        return ""
    found = DepartmentCode.objects.filter(department_id=meeting.department_id).first()
    return found.code if found else ""


def _next_item_number(dossier: Dossier, retention: RetentionRule) -> tuple[str, int]:
    """The next 档号 of a 件 in its lowest class (year × retention × department), under a lock.

    The counter row is locked while the number is taken; the unique constraint on
    `Document.archive_number` is the last word should two databases' clocks ever disagree.
    """
    rules = scheme()
    parts: dict[str, Any] = {
        "fonds": rules.fonds_code,
        "record_class": rules.class_code,
        "year": dossier.year,
        "retention": retention.code_in_number,
        "org": _department_code(dossier.meeting),
        "kind": dossier.meeting.kind.code,
    }
    key = "item:" + naming.item_prefix(rules.item_pattern, **parts)[:95]
    NumberCounter.objects.get_or_create(key=key)
    counter = NumberCounter.objects.select_for_update().get(key=key)
    while True:  # a number from an older rule may already be taken
        counter.last += 1
        number = naming.item_number(rules.item_pattern, seq=counter.last, **parts)
        if not Document.objects.filter(archive_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number, counter.last


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


_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "records_written", default=None
)


@contextmanager
def _files_written() -> Iterator[None]:
    """A transaction that stores files: if it fails, the files it stored are deleted again
    (the database forgets the rows; storage would otherwise keep orphans)."""
    names: list[str] = []
    token = _written.set(names)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete_files(names)
        raise
    finally:
        _written.reset(token)


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
    version.file.save(name, ContentFile(data), save=False)
    written = _written.get()
    if written is not None and version.file.name:
        written.append(version.file.name)
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


def file_meeting(meeting: Meeting, *, actor: User) -> tuple[Dossier, list[Document]]:
    """File the meeting's materials (P4.1): make its dossier with an archive number if it has
    none, then add each document the other apps have produced and the dossier lacks.

    Preconditions: the meeting has taken place (concluded, following up or closed); the actor is
    its recorder, one of its managers, or an archivist; the dossier is not finally filed.
    """
    if not can_file_meeting(actor, meeting):
        raise PermissionDenied(
            _(
                "Only the recorder, the organisers or an archivist may file this meeting, after it has taken place."
            ),
            "cannot_file",
        )
    categories = {c.code: c for c in Category.objects.all()}
    # Render and read the files before taking any lock: PDFs take seconds, writers should not wait.
    held = set(Document.objects.filter(dossier__meeting=meeting).values_list("source", flat=True))
    gathered = [g for g in gather(meeting, actor, skip=held) if g.category in categories]
    report = inspection.inspect_files(
        inspection.Candidate(f"{g.title}.{g.ext}", g.ext, g.data, g.title, g.category)
        for g in gathered
    )
    report.raise_if_failed()
    with _files_written():
        meeting = Meeting.objects.select_for_update().select_related("kind").get(pk=meeting.pk)
        dossier = Dossier.objects.filter(meeting=meeting).first()
        created = dossier is None
        if dossier is None:
            other = categories.get("other") or next(iter(categories.values()))
            dossier = Dossier.objects.create(
                meeting=meeting,
                archive_number=_next_number(meeting, scheme().number_pattern),
                year=_year_of(meeting),
                title=meeting.title,
                retention=other.retention,
                filed_by=actor,
            )
        elif dossier.status != DossierStatus.FILED:
            raise errors.dossier_locked(dossier)
        dossier.meeting = meeting
        taken = set(dossier.documents.values_list("source", flat=True))
        added = [
            _new_document(
                dossier,
                category=categories[g.category],
                title=g.title,
                source=g.source,
                data=g.data,
                ext=g.ext,
                actor=actor,
            )
            for g in gathered
            if g.source not in taken  # someone filed the same source meanwhile
        ]
        _check_and_keep(dossier, added, report, actor)
        _refresh_retention(dossier)
        audit.record(
            "records.dossier.filed" if created else "records.dossier.gathered",
            dossier,
            actor=actor,
            data={
                "meeting": meeting.pk,
                "archive_number": dossier.archive_number,
                "documents": [d.current.file_name for d in added if d.current],
            },
        )
    return dossier, added


def _checked_upload(upload: UploadedFile) -> tuple[bytes, str]:
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("The file is larger than 50 MB."), "file_too_large")
    name = upload.name or ""
    if document_type(name, upload) is None:
        raise ValidationFailed(
            _("This kind of file cannot be archived, or its content does not match its name."),
            "file_type_refused",
        )
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
    with _files_written():
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
    with _files_written():
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


def finalise_dossier(dossier: Dossier, *, actor: User) -> Dossier:
    """Final filing (定卷, P7.9): locks the dossier. Preconditions: an archivist; every
    required category present (`dossier_incomplete`)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update().select_related("meeting__kind").get(pk=dossier.pk)
        )
        if dossier.status != DossierStatus.FILED:
            raise errors.dossier_locked(dossier)
        missing = missing_categories(dossier)
        if missing:
            raise ValidationFailed(
                _("The dossier is incomplete: %(missing)s.")
                % {"missing": "、".join(c.name for c in missing)},
                "dossier_incomplete",
                missing=[c.code for c in missing],
            )
        dossier.status = DossierStatus.FINAL
        dossier.finalised_by, dossier.finalised_at = actor, timezone.now()
        dossier.save(update_fields=["status", "finalised_by", "finalised_at"])
        audit.record("records.dossier.finalised", dossier, actor=actor)
    return dossier


def record_year_review(year: int, *, actor: User, note: str = "") -> YearReview:
    """The yearly review (P7.9): complete dossiers of the year are finally filed; the count of
    complete and incomplete ones is kept with the archivist's note."""
    if not is_archivist(actor):
        raise PermissionDenied()
    complete = incomplete = 0
    with transaction.atomic():
        for dossier in (
            Dossier.objects.select_for_update()
            .filter(year=year, status=DossierStatus.FILED)
            .select_related("meeting__kind")
        ):
            if missing_categories(dossier):
                incomplete += 1
                continue
            complete += 1
            dossier.status = DossierStatus.FINAL
            dossier.finalised_by, dossier.finalised_at = actor, timezone.now()
            dossier.save(update_fields=["status", "finalised_by", "finalised_at"])
            audit.record("records.dossier.finalised", dossier, actor=actor, data={"review": year})
        review, _created = YearReview.objects.update_or_create(
            year=year,
            defaults={
                "note": note.strip(),
                "reviewed_by": actor,
                "complete": complete,
                "incomplete": incomplete,
            },
        )
        audit.record(
            "records.review.recorded",
            review,
            actor=actor,
            data={
                "year": year,
                "finalised": complete,
                "incomplete": incomplete,
                "note": review.note,
            },
        )
    return review


def register_paper_item(dossier: Dossier, *, actor: User, fields: dict[str, Any]) -> PaperItem:
    """Register a paper item in the physical archive (P7.4) with its place."""
    if not is_archivist(actor):
        raise PermissionDenied()
    if (
        not str(fields.get("title", "")).strip()
        or not fields.get("room")
        or not fields.get("cabinet")
    ):
        raise ValidationFailed(_("Give the title, room and cabinet."), "location_required")
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.status == DossierStatus.DESTROYED:
            raise errors.dossier_locked(dossier)
        item = PaperItem.objects.create(dossier=dossier, registered_by=actor, **fields)
        audit.record(
            "records.paper.registered",
            dossier,
            actor=actor,
            data={
                "item": item.pk,
                "title": item.title,
                "location": item.location,
                "pieces": item.pieces,
            },
        )
    return item


def lend_item(item: PaperItem, *, actor: User, borrower: str, due_back: date | None = None) -> Loan:
    """Lend a paper item out; it must be in its place (`already_lent`)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    borrower = borrower.strip()
    if not borrower:
        raise ValidationFailed(_("Who borrows it?"), "borrower_required")
    with transaction.atomic():
        item = PaperItem.objects.select_for_update().select_related("dossier").get(pk=item.pk)
        if item.destroyed_at or item.loans.filter(returned_at__isnull=True).exists():
            raise DomainError(_("This item is not in the archive at the moment."), "already_lent")
        loan = Loan.objects.create(
            item=item, borrower=borrower[:150], due_back=due_back, lent_by=actor
        )
        audit.record(
            "records.paper.lent",
            item.dossier,
            actor=actor,
            data={
                "item": item.pk,
                "title": item.title,
                "borrower": loan.borrower,
                "due_back": due_back,
            },
        )
    return loan


def return_item(item: PaperItem, *, actor: User) -> Loan:
    """Take a lent item back (`not_lent` if it is in its place)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    with transaction.atomic():
        item = PaperItem.objects.select_for_update().select_related("dossier").get(pk=item.pk)
        loan = item.loans.filter(returned_at__isnull=True).first()
        if loan is None:
            raise DomainError(_("This item is not lent out."), "not_lent")
        loan.returned_at, loan.returned_to = timezone.now(), actor
        loan.save(update_fields=["returned_at", "returned_to"])
        audit.record(
            "records.paper.returned",
            item.dossier,
            actor=actor,
            data={"item": item.pk, "title": item.title, "borrower": loan.borrower},
        )
    return loan


def propose_destruction(dossier: Dossier, *, actor: User, reason: str) -> Destruction:
    """An archivist proposes destroying a dossier whose retention has ended (P7.10).

    Preconditions: not kept permanently and `retain_until` has passed (`not_due`); no open
    proposal (`already_proposed`)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason and the regulation it follows."), "reason_required"
        )
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if (
            dossier.status == DossierStatus.DESTROYED
            or dossier.retain_until is None
            or dossier.retain_until >= timezone.localdate()
        ):
            raise DomainError(_("This dossier's retention period has not ended."), "not_due")
        if dossier.destructions.filter(status=DestructionStatus.PROPOSED).exists():
            raise DomainError(_("Its destruction is already proposed."), "already_proposed")
        destruction = Destruction.objects.create(dossier=dossier, reason=reason, proposed_by=actor)
        audit.record(
            "records.destruction.proposed",
            dossier,
            actor=actor,
            data={"destruction": destruction.pk, "reason": reason},
        )
    return destruction


def _item_rows(dossier: Dossier, versions: list[DocumentVersion]) -> list[dict[str, Any]]:
    """The 清册's line per destroyed 件: its metadata and the digest of its current file."""
    current = {v.document_id: v for v in versions if v.document.current_id == v.pk}
    rows = []
    for document in dossier.documents.select_related("retention", "category__retention"):
        version = current.get(document.pk)
        retention = document.retention or document.category.retention
        rows.append(
            {
                "archive_number": document.archive_number or dossier.archive_number,
                "reference": document.reference,
                "author": document.author,
                "title": document.title,
                "date": document.dated.strftime("%Y%m%d") if document.dated else str(dossier.year),
                "pages": document.pages,
                "retention": retention.code_in_number,
                "file_name": version.file_name if version else "",
                "sha256": version.sha256 if version else "",
                "size": version.size if version else 0,
            }
        )
    return rows


def _checked_supervisors(destruction: Destruction, supervisors: Sequence[User]) -> list[User]:
    """Two 监销人: distinct active people, neither of them the proposer."""
    people = list({u.pk: u for u in supervisors}.values())
    if len(people) != 2 or len(supervisors) != 2:
        raise ValidationFailed(
            _("Name two different people who supervise the destruction."),
            "two_supervisors_required",
        )
    if any(u.pk == destruction.proposed_by_id or not u.is_active for u in people):
        raise ValidationFailed(
            _("The person who proposed the destruction cannot supervise it."),
            "supervisor_is_proposer",
        )
    return people


def _decide(
    destruction: Destruction,
    *,
    actor: User,
    approve: bool,
    note: str,
    supervisors: Sequence[User] = (),
) -> Destruction:
    def lock() -> Destruction:
        locked = (
            Destruction.objects.select_for_update().select_related("dossier").get(pk=destruction.pk)
        )
        if not can_approve_destruction(actor, locked) and not DESTRUCTION.is_own(locked, actor):
            raise PermissionDenied()  # the proposer is refused by the shape (own_proposal)
        return locked

    def move(locked: Destruction, verdict: Verdict, stamped: list[str]) -> Audited:
        if not verdict.approve:
            locked.status = DestructionStatus.REJECTED
            locked.save(update_fields=["status", *stamped])
            return Audited(locked.dossier, data={"destruction": locked.pk, "note": verdict.comment})
        witnesses = _checked_supervisors(locked, supervisors)
        dossier = Dossier.objects.select_for_update().get(pk=locked.dossier_id)
        versions = list(
            DocumentVersion.objects.filter(document__dossier=dossier)
            .exclude(file="")
            .select_related("document")
        )
        paths = [v.file.name for v in versions if v.file.name]
        locked.files = [
            {"file_name": v.file_name, "sha256": v.sha256, "size": v.size} for v in versions
        ]
        locked.items = _item_rows(dossier, versions)
        locked.status = DestructionStatus.DONE
        locked.save(update_fields=["files", "items", "status", *stamped])
        locked.supervisors.set(witnesses)
        DocumentVersion.objects.filter(document__dossier=dossier).update(file="", text="")
        # Destroyed text leaves the index too; titles stay findable like the register.
        search.index_documents(dossier.documents.select_related("dossier", "current"))
        dossier.paper_items.filter(destroyed_at__isnull=True).update(destroyed_at=timezone.now())
        dossier.status, dossier.destroyed_at = DossierStatus.DESTROYED, timezone.now()
        dossier.save(update_fields=["status", "destroyed_at"])
        transaction.on_commit(lambda: _delete_files(paths))
        return Audited(
            dossier,
            data={
                "destruction": locked.pk,
                "files": len(paths),
                "note": verdict.comment,
                "supervisors": [str(u) for u in witnesses],
            },
        )

    return decide(DESTRUCTION, actor=actor, approve=approve, comment=note, lock=lock, move=move)


def approve_destruction(
    destruction: Destruction, *, actor: User, supervisors: Sequence[User], note: str = ""
) -> Destruction:
    """A leader (never the proposer) approves, naming the two 监销人 who witness it (distinct,
    neither the proposer): the files are deleted from storage after commit; each 件's metadata,
    file name, size and SHA-256 stay in the register (销毁清册), kept permanently."""
    return _decide(destruction, actor=actor, approve=True, note=note, supervisors=supervisors)


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        default_storage.delete(path)


def reject_destruction(destruction: Destruction, *, actor: User, note: str) -> Destruction:
    """A leader (never the proposer) refuses the proposal, saying why; the dossier stays as it was."""
    return _decide(destruction, actor=actor, approve=False, note=note)


def save_category(
    category: Category | None,
    *,
    actor: User,
    fields: dict[str, Any],
    required_for: Iterable[Any] = (),
) -> Category:
    """Add or change a category of the classification scheme (P7.1). Archivists and admins."""
    if not is_archivist(actor):
        raise PermissionDenied()
    if not str(fields.get("code", "")).strip() or not str(fields.get("name_zh_hans", "")).strip():
        raise ValidationFailed(_("Give the code and the name."), "name_required")
    with transaction.atomic():
        before: dict[str, Any] = {}
        if category is None:
            category = Category.objects.create(**fields)
        else:
            category = Category.objects.select_for_update().get(pk=category.pk)
            before = audit.snapshot(category, list(fields))
            for name, value in fields.items():
                setattr(category, name, value)
            category.save(update_fields=list(fields))
        category.required_for.set(list(required_for))
        after = audit.snapshot(category, list(fields))
        audit.record(
            "records.category.saved",
            category,
            actor=actor,
            changes=audit.diff(before, after),
            data={"required_for": sorted(k.code for k in category.required_for.all())},
        )
    return category


SCHEME_FIELDS = (
    "file_name_pattern",
    "number_pattern",
    "item_pattern",
    "fonds_code",
    "fonds_name",
    "class_code",
)


def save_scheme(
    *,
    actor: User,
    file_name_pattern: str,
    number_pattern: str,
    item_pattern: str | None = None,
    fonds_code: str | None = None,
    fonds_name: str | None = None,
    class_code: str | None = None,
) -> Scheme:
    """Change the naming rules and the 档号's parts. New names and numbers only: archived files
    and documents keep theirs. A part left out (None) stays as it is."""
    if not is_archivist(actor):
        raise PermissionDenied()
    values = {
        "file_name_pattern": naming.check_pattern(file_name_pattern.strip(), naming.FILE_FIELDS),
        "number_pattern": naming.check_pattern(number_pattern.strip(), naming.NUMBER_FIELDS),
    }
    if item_pattern is not None:
        values["item_pattern"] = naming.check_item_pattern(item_pattern.strip())
    for name, value in (
        ("fonds_code", fonds_code),
        ("fonds_name", fonds_name),
        ("class_code", class_code),
    ):
        if value is not None:
            values[name] = value.strip()
    if values.get("class_code") == "":
        raise ValidationFailed(_("Give the record class code, e.g. WS."), "class_code_required")
    with transaction.atomic():
        current = Scheme.objects.select_for_update().get(pk=scheme().pk)
        before = audit.snapshot(current, list(SCHEME_FIELDS))
        for name, value in values.items():
            setattr(current, name, value)
        current.updated_by = actor
        current.save()
        audit.record(
            "records.scheme.saved",
            current,
            actor=actor,
            changes=audit.diff(before, audit.snapshot(current, list(SCHEME_FIELDS))),
        )
    return current


def save_department_code(
    department: Department, *, actor: User, code: str
) -> DepartmentCode | None:
    """Set the department's 机构（问题）代码 in new 档号 (e.g. 办公室 = BGS); empty removes it."""
    if not is_archivist(actor):
        raise PermissionDenied()
    code = code.strip().upper()
    if code and not re.fullmatch(r"[A-Z0-9]{1,10}", code):
        raise ValidationFailed(
            _("A department code has up to 10 capital letters or digits."), "invalid_code"
        )
    with transaction.atomic():
        found = DepartmentCode.objects.select_for_update().filter(department=department).first()
        before = found.code if found else ""
        if not code:
            if found:
                found.delete()
            found = None
        elif found is None:
            found = DepartmentCode.objects.create(department=department, code=code)
        else:
            found.code = code
            found.save(update_fields=["code"])
        audit.record(
            "records.department_code.saved",
            department,
            actor=actor,
            changes={"code": [before, code]} if before != code else {},
        )
    return found
