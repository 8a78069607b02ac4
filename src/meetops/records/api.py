"""Archive API (P4.1, P7.x): /archive/dossiers, /archive/documents (download), /archive/search,
/archive/due, destruction proposals and decisions. Mounted at "/" with full paths."""

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from meetops.core.downloads import download_response
from meetops.core.errors import ValidationFailed
from meetops.core.schemas import DbId, Input, Pagination
from meetops.core.validation import SaneYear
from meetops.core.web import AuthedRequest
from meetops.meetings.selectors import get_meeting_for_user
from meetops.records import selectors, services
from meetops.records.models import (
    AccessAction,
    Category,
    Destruction,
    Document,
    DocumentVersion,
    Dossier,
)

router = Router(tags=["archive"])


class VersionOut(Schema):
    number: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    reason: str
    created_by: str
    created_at: datetime
    available: bool

    @staticmethod
    def resolve_created_by(obj: DocumentVersion) -> str:
        return str(obj.created_by or "")

    @staticmethod
    def resolve_available(obj: DocumentVersion) -> bool:
        return bool(obj.file)


class DocumentOut(Schema):
    id: int
    dossier_id: DbId
    seq: int
    archive_number: str | None = Field(
        ..., description="the 件's 档号 (DA/T 22-2015); null for documents filed before it"
    )
    title: str
    category: str
    source: str
    current: VersionOut | None
    download_url: str

    @staticmethod
    def resolve_category(obj: Document) -> str:
        return obj.category.code

    @staticmethod
    def resolve_download_url(obj: Document) -> str:
        return f"/api/v1/archive/documents/{obj.pk}/download"


class DocumentDetailOut(DocumentOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj: Document) -> list[DocumentVersion]:
        return list(selectors.versions_of(obj))


class DossierBrief(Schema):
    id: int
    archive_number: str
    year: int
    title: str
    meeting_id: DbId
    status: str
    retention: str
    retain_until: date | None
    filed_at: datetime

    @staticmethod
    def resolve_retention(obj: Dossier) -> str:
        return obj.retention.code


class DossierOut(DossierBrief):
    documents: list[DocumentOut]
    missing_categories: list[str]

    @staticmethod
    def resolve_documents(obj: Dossier) -> list[Document]:
        return list(selectors.documents_of(obj))

    @staticmethod
    def resolve_missing_categories(obj: Dossier) -> list[str]:
        return [c.code for c in selectors.missing_categories(obj)]


class SearchHit(Schema):
    document_id: DbId = Field(..., alias="id")
    title: str
    category: str
    file_name: str
    dossier_id: DbId
    archive_number: str = Field(..., alias="dossier.archive_number")
    meeting_title: str = Field(..., alias="dossier.title")
    year: int = Field(..., alias="dossier.year")
    download_url: str

    @staticmethod
    def resolve_category(obj: Document) -> str:
        return obj.category.code

    @staticmethod
    def resolve_file_name(obj: Document) -> str:
        return obj.current.file_name if obj.current else ""

    @staticmethod
    def resolve_download_url(obj: Document) -> str:
        return f"/api/v1/archive/documents/{obj.pk}/download"


class FileIn(Input):
    meeting_id: DbId


class RecordsReasonIn(Input):
    reason: str = Field(..., max_length=5000)


class NoteIn(Input):
    note: str = Field("", max_length=5000)


class ApproveIn(NoteIn):
    supervisors: list[int] = Field(default_factory=list, max_length=10)


def _category(code: str) -> Category:
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise ValidationFailed(_("Unknown category."), "unknown_category", field="category")
    return category


@router.get("/archive/dossiers", response=list[DossierBrief], summary="Dossiers you may see")
@paginate(Pagination)
def list_dossiers(
    request: AuthedRequest, year: SaneYear | None = None, status: str = ""
) -> QuerySet[Dossier]:
    qs = selectors.dossiers_visible_to(request.user)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "archive_number")


@router.post(
    "/archive/dossiers",
    response={200: DossierOut, 201: DossierOut},
    summary="File a meeting (201), or gather what is new into its dossier (200)",
)
def file_meeting(request: AuthedRequest, payload: FileIn) -> Status:
    meeting = get_meeting_for_user(request.user, payload.meeting_id)
    existed = Dossier.objects.filter(meeting=meeting).exists()
    dossier, _added = services.file_meeting(meeting, actor=request.user)
    return Status(200 if existed else 201, selectors.get_dossier_for_user(request.user, dossier.pk))


@router.get("/archive/dossiers/{int:dossier_id}", response=DossierOut, summary="One dossier")
def read_dossier(request: AuthedRequest, dossier_id: int) -> Dossier:
    found = selectors.get_dossier_for_user(request.user, dossier_id)
    services.log_dossier_view(found, actor=request.user)
    return found


@router.post(
    "/archive/dossiers/{int:dossier_id}/documents",
    response={201: DocumentOut},
    summary="Archive an uploaded file (multipart: category, title, file)",
)
def add_document(
    request: AuthedRequest,
    dossier_id: int,
    category: Form[str],
    title: Form[str],
    file: File[UploadedFile],
) -> Status:
    dossier = selectors.get_dossier_for_user(request.user, dossier_id)
    document = services.add_document(
        dossier, actor=request.user, category=_category(category), title=title[:300], upload=file
    )
    return Status(201, document)


@router.post(
    "/archive/dossiers/{int:dossier_id}/finalise",
    response=DossierOut,
    summary="Final filing (archivists): locks a complete dossier",
)
def finalise(request: AuthedRequest, dossier_id: int) -> Dossier:
    dossier = selectors.get_dossier_for_user(request.user, dossier_id)
    services.finalise_dossier(dossier, actor=request.user)
    return selectors.get_dossier_for_user(request.user, dossier_id)


@router.get(
    "/archive/documents/{int:document_id}",
    response=DocumentDetailOut,
    summary="A document and its versions",
)
def read_document(request: AuthedRequest, document_id: int) -> Document:
    return selectors.get_document_for_user(request.user, document_id)


@router.post(
    "/archive/documents/{int:document_id}/versions",
    response={201: VersionOut},
    summary="Correct a document (multipart: reason, file): a new version, the old one stays",
)
def correct(
    request: AuthedRequest, document_id: int, reason: Form[str], file: File[UploadedFile]
) -> Status:
    document = selectors.get_document_for_user(request.user, document_id)
    version = services.correct_document(
        document, actor=request.user, upload=file, reason=reason[:5000]
    )
    return Status(201, version)


@router.get(
    "/archive/documents/{int:document_id}/download",
    summary="The file (current version, or ?version=n), checked against its SHA-256; logged",
)
def download(request: AuthedRequest, document_id: int, version: int | None = None) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, document_id)
    found = selectors.version_of(document, version)
    data = services.open_version(found, actor=request.user, action=AccessAction.DOWNLOAD)
    return file_response(data, found)


def file_response(data: bytes, version: DocumentVersion, *, inline: bool = False) -> HttpResponse:
    response = download_response(
        data, filename=version.file_name, content_type=version.media_type, inline=inline
    )
    response["X-Content-SHA256"] = version.sha256
    response["X-Content-Type-Options"] = "nosniff"
    return response


class SearchIn(Input):
    q: str = Field("", max_length=200)
    year: int | None = Field(None, ge=1900, le=9999)
    category: str = Field("", max_length=20)
    department: DbId | None = None
    confidentiality: str = Field("", max_length=20)


@router.get("/archive/search", response=list[SearchHit], summary="Search archived documents")
@paginate(Pagination)
def search(request: AuthedRequest, filters: Query[SearchIn]) -> QuerySet[Document]:
    return selectors.search_documents(request.user, **filters.dict())


@router.get("/archive/due", response=list[DossierBrief], summary="Dossiers due for destruction")
def due(request: AuthedRequest) -> list[Dossier]:
    return list(selectors.due_for_destruction(request.user))


class DestructionOut(Schema):
    id: int
    dossier_id: DbId
    status: str
    reason: str
    proposed_by: str
    decided_by: str
    decision_note: str
    supervisors: list[str]


def _destruction(d: Destruction) -> DestructionOut:
    return DestructionOut(
        id=d.pk,
        dossier_id=d.dossier_id,
        status=d.status,
        reason=d.reason,
        proposed_by=str(d.proposed_by or ""),
        decided_by=str(d.decided_by or ""),
        decision_note=d.decision_note,
        supervisors=[str(u) for u in selectors.supervisors_of(d)] if d.pk else [],
    )


@router.post(
    "/archive/dossiers/{int:dossier_id}/destruction",
    response={201: DestructionOut},
    summary="Propose destroying a dossier whose retention has ended (archivists)",
)
def propose(request: AuthedRequest, dossier_id: int, payload: RecordsReasonIn) -> Status:
    dossier = selectors.get_dossier_for_user(request.user, dossier_id)
    found = services.propose_destruction(dossier, actor=request.user, reason=payload.reason)
    return Status(201, _destruction(found))


@router.post(
    "/archive/destructions/{int:destruction_id}/approve",
    response=DestructionOut,
    summary="Approve (a leader, never the proposer) naming two supervisors (监销人): the files "
    "are deleted, the record stays",
)
def approve(request: AuthedRequest, destruction_id: int, payload: ApproveIn) -> DestructionOut:
    found = selectors.get_destruction_for_user(request.user, destruction_id)
    supervisors = selectors.people_by_ids(payload.supervisors)
    done = services.approve_destruction(
        found, actor=request.user, supervisors=supervisors, note=payload.note
    )
    return _destruction(done)


@router.post(
    "/archive/destructions/{int:destruction_id}/reject",
    response=DestructionOut,
    summary="Reject with a reason",
)
def reject(request: AuthedRequest, destruction_id: int, payload: NoteIn) -> DestructionOut:
    found = selectors.get_destruction_for_user(request.user, destruction_id)
    return _destruction(services.reject_destruction(found, actor=request.user, note=payload.note))
