"""Training API (P9.4): needs, courses and materials, records with certificates, coverage.
Mounted at /api/v1/training."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db.models import Model
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import MAX_DB_ID, DbId, Input
from meetops.core.validation import SaneDate
from meetops.core.web import AuthedRequest
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import Department, User
from meetops.training import selectors, services
from meetops.training.models import Course, CourseMaterial, ExternalTraining, TrainingNeed
from meetops.training.permissions import can_manage_training, can_see_coverage, can_see_records_of

router = Router(tags=["training"])

DutyCode = Literal["organiser", "recorder", "desk", "security"]


M = TypeVar("M", bound=Model)


def _by_id(model: type[M], pk: int) -> M:
    """The row, or 404 (an id beyond a 64-bit key finds nothing rather than failing)."""
    found = model._default_manager.filter(pk=pk).first() if 0 < pk <= MAX_DB_ID else None
    if found is None:
        raise NotFound()
    return found


def _given(changes: dict[str, Any], *, nullable: tuple[str, ...]) -> dict[str, Any]:
    """The fields a PATCH sets: null clears only what may be empty, and leaves the rest."""
    return {k: v for k, v in changes.items() if v is not None or k in nullable}


# --- needs -----------------------------------------------------------------------------------


class TrainingNeedOut(Schema):
    id: int
    duty: str
    name: str
    name_zh_hans: str
    name_zh_hant: str
    name_en: str
    description: str
    refresher_months: int | None
    active: bool
    order: int


class TrainingNeedIn(Input):
    duty: DutyCode
    name_zh_hans: str = Field(..., max_length=200)
    name_zh_hant: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    refresher_months: int | None = Field(None, ge=1, le=120, description="Empty: once is enough")
    active: bool = True
    order: int = Field(0, ge=0, le=10000)


class TrainingNeedPatch(Input):
    duty: DutyCode | None = None
    name_zh_hans: str | None = Field(None, max_length=200)
    name_zh_hant: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    refresher_months: int | None = Field(None, ge=1, le=120)
    active: bool | None = None
    order: int | None = Field(None, ge=0, le=10000)


@router.get("/needs", response=list[TrainingNeedOut], summary="Training needs per duty")
def list_needs(request: AuthedRequest) -> list[TrainingNeed]:
    return list(TrainingNeed.objects.order_by("order", "pk"))


@router.post("/needs", response={201: TrainingNeedOut}, summary="Add a need (administrators)")
def create_need(request: AuthedRequest, payload: TrainingNeedIn) -> Status:
    return Status(201, services.create_need(actor=request.user, **payload.dict()))


@router.patch(
    "/needs/{int:need_id}",
    response=TrainingNeedOut,
    summary="Change a need; refresher_months null: once is enough (administrators)",
)
def patch_need(request: AuthedRequest, need_id: int, payload: TrainingNeedPatch) -> TrainingNeed:
    if not can_manage_training(request.user):
        raise PermissionDenied()
    changes = _given(payload.dict(exclude_unset=True), nullable=("refresher_months",))
    return services.update_need(_by_id(TrainingNeed, need_id), actor=request.user, **changes)


# --- courses ---------------------------------------------------------------------------------


class CourseMaterialOut(Schema):
    id: int
    title: str
    media_type: str
    uploaded_at: datetime
    download: str


class TrainingCourseOut(Schema):
    id: int
    title: str
    description: str
    need_ids: list[int]
    hours: Decimal | None
    active: bool
    materials: list[CourseMaterialOut]


class TrainingCourseIn(Input):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    need_ids: list[DbId] = Field(default_factory=list, max_length=50)
    hours: float | None = Field(None, ge=0, le=1000)
    active: bool = True


class TrainingCoursePatch(Input):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    need_ids: list[DbId] | None = Field(None, max_length=50)
    hours: float | None = Field(None, ge=0, le=1000)
    active: bool | None = None


class TrainingSessionIn(Input):
    meeting_id: DbId


def _material_out(course: Course, m: CourseMaterial) -> CourseMaterialOut:
    return CourseMaterialOut(
        id=m.pk,
        title=m.title,
        media_type=m.media_type,
        uploaded_at=m.uploaded_at,
        download=f"/training/courses/{course.pk}/materials/{m.pk}/download",
    )


def _course_out(course: Course) -> TrainingCourseOut:
    return TrainingCourseOut(
        id=course.pk,
        title=course.title,
        description=course.description,
        need_ids=sorted(n.pk for n in course.needs.all()),
        hours=course.hours,
        active=course.active,
        materials=[_material_out(course, m) for m in course.materials.all()],
    )


@router.get("/courses", response=list[TrainingCourseOut], summary="Courses and their materials")
def list_courses(request: AuthedRequest) -> list[TrainingCourseOut]:
    courses = selectors.courses_visible().prefetch_related("materials").order_by("title", "pk")
    return [_course_out(c) for c in courses]


@router.post("/courses", response={201: TrainingCourseOut}, summary="Add a course (administrators)")
def create_course(request: AuthedRequest, payload: TrainingCourseIn) -> Status:
    data = payload.dict(exclude={"need_ids"})
    course = services.create_course(actor=request.user, needs=payload.need_ids, **data)
    return Status(201, _course_out(course))


@router.get("/courses/{int:course_id}", response=TrainingCourseOut)
def read_course(request: AuthedRequest, course_id: int) -> TrainingCourseOut:
    return _course_out(selectors.get_course(course_id))


@router.patch(
    "/courses/{int:course_id}",
    response=TrainingCourseOut,
    summary="Change a course (administrators)",
)
def patch_course(
    request: AuthedRequest, course_id: int, payload: TrainingCoursePatch
) -> TrainingCourseOut:
    course = selectors.get_course(course_id)
    data = _given(payload.dict(exclude_unset=True, exclude={"need_ids"}), nullable=("hours",))
    needs = payload.need_ids
    return _course_out(services.update_course(course, actor=request.user, needs=needs, **data))


@router.post(
    "/courses/{int:course_id}/materials",
    response={201: CourseMaterialOut},
    summary="Upload a material (multipart: title, file; PDF, office document, image or text)",
)
def upload_material(
    request: AuthedRequest, course_id: int, title: Form[str], file: File[UploadedFile]
) -> Status:
    course = selectors.get_course(course_id)
    material = services.add_material(course, actor=request.user, title=title[:200], upload=file)
    return Status(201, _material_out(course, material))


@router.post(
    "/courses/{int:course_id}/sessions",
    response={201: TrainingCourseOut},
    summary="Hold a training meeting as this course: its sign-ins meet the course's needs",
)
def link_session(request: AuthedRequest, course_id: int, payload: TrainingSessionIn) -> Status:
    course = selectors.get_course(course_id)
    meeting = get_meeting_for_user(request.user, payload.meeting_id)
    services.link_session(course, meeting=meeting, actor=request.user)
    return Status(201, _course_out(course))


# --- records ---------------------------------------------------------------------------------


class ExternalTrainingOut(Schema):
    id: int
    person_id: int
    title: str
    issuer: str
    completed_on: date
    hours: Decimal
    need_ids: list[int]
    status: str
    has_certificate: bool
    certificate: str
    verified_by_id: int | None
    verified_at: datetime | None
    verification_note: str


class TrainingRecordOut(Schema):
    kind: str = Field(..., description="meeting: a sign-in at a training meeting; external")
    on: date
    title: str
    meeting_id: int | None
    course_id: int | None
    external: ExternalTrainingOut | None


class ExternalTrainingIn(Input):
    person_id: DbId | None = Field(None, description="Administrators only; leave out for yourself")
    title: str = Field(..., max_length=200)
    issuer: str = Field(..., max_length=200)
    completed_on: SaneDate
    hours: float = Field(..., gt=0, le=1000)
    need_ids: list[DbId] = Field(..., max_length=50)


class TrainingVerifyIn(Input):
    accept: bool
    note: str = Field("", max_length=2000)


class RecordQuery(Input):
    person_id: DbId | None = None


def _external_out(r: ExternalTraining) -> ExternalTrainingOut:
    return ExternalTrainingOut(
        id=r.pk,
        person_id=r.person_id,
        title=r.title,
        issuer=r.issuer,
        completed_on=r.completed_on,
        hours=r.hours,
        need_ids=sorted(n.pk for n in r.needs.all()),
        status=r.status,
        has_certificate=bool(r.certificate),
        certificate=f"/training/records/{r.pk}/certificate/download" if r.certificate else "",
        verified_by_id=r.verified_by_id,
        verified_at=r.verified_at,
        verification_note=r.verification_note,
    )


@router.get(
    "/records",
    response=list[TrainingRecordOut],
    summary="A person's training records, newest first (default: yours)",
)
def list_records(request: AuthedRequest, query: Query[RecordQuery]) -> list[TrainingRecordOut]:
    person = request.user
    if query.person_id is not None:
        found = _by_id(User, query.person_id)
        if not can_see_records_of(request.user, found):
            raise NotFound()
        person = found
    return [
        TrainingRecordOut(
            kind=r.kind,
            on=r.on,
            title=r.title,
            meeting_id=r.meeting_id,
            course_id=r.course.pk if r.course else None,
            external=_external_out(r.external) if r.external else None,
        )
        for r in selectors.records_of(person)
    ]


@router.get(
    "/records/pending",
    response=list[ExternalTrainingOut],
    summary="External trainings waiting for verification (administrators)",
)
def pending_records(request: AuthedRequest) -> list[ExternalTrainingOut]:
    if not can_manage_training(request.user):
        raise PermissionDenied()
    return [_external_out(r) for r in selectors.pending_external()]


@router.post(
    "/records",
    response={201: ExternalTrainingOut},
    summary="Enter an external training; then upload its certificate",
)
def create_record(request: AuthedRequest, payload: ExternalTrainingIn) -> Status:
    person = request.user
    if payload.person_id is not None:
        found = _by_id(User, payload.person_id)
        person = found
    record = services.record_external(
        actor=request.user,
        person=person,
        needs=payload.need_ids,
        **payload.dict(exclude={"person_id", "need_ids"}),
    )
    return Status(201, _external_out(record))


@router.post(
    "/records/{int:record_id}/certificate",
    response=ExternalTrainingOut,
    summary="Upload the certificate (multipart, field `file`: PDF, PNG or JPEG, at most 10 MB)",
)
def upload_certificate(
    request: AuthedRequest, record_id: int, file: File[UploadedFile]
) -> ExternalTrainingOut:
    record = selectors.get_external_for_user(request.user, record_id)
    return _external_out(services.attach_certificate(record, actor=request.user, certificate=file))


@router.post(
    "/records/{int:record_id}/verify",
    response=ExternalTrainingOut,
    summary="Verify an external training, or refuse it with a note (administrators)",
)
def verify_record(
    request: AuthedRequest, record_id: int, payload: TrainingVerifyIn
) -> ExternalTrainingOut:
    record = selectors.get_external_for_user(request.user, record_id)
    verified = services.verify_external(
        record, actor=request.user, accept=payload.accept, note=payload.note
    )
    return _external_out(verified)


# --- coverage --------------------------------------------------------------------------------


class NeedCountOut(Schema):
    need_id: int
    trained: int
    due: int
    untrained: int


class DepartmentCoverageOut(Schema):
    department_id: int | None
    department: str
    counts: list[NeedCountOut]


class TrainingCoverageOut(Schema):
    need_ids: list[int]
    departments: list[DepartmentCoverageOut]
    totals: list[NeedCountOut]


class CoverageQuery(Input):
    department_id: DbId | None = None


def _counts(counts: list[selectors.NeedCount]) -> list[NeedCountOut]:
    return [
        NeedCountOut(need_id=c.need.pk, trained=c.trained, due=c.due, untrained=c.untrained)
        for c in counts
    ]


@router.get(
    "/coverage",
    response=TrainingCoverageOut,
    summary="Trained, due and untrained per need and department (overseers; heads: their own)",
)
def coverage(request: AuthedRequest, query: Query[CoverageQuery]) -> TrainingCoverageOut:
    if not can_see_coverage(request.user):
        raise PermissionDenied()
    department = None
    if query.department_id is not None:
        found = _by_id(Department, query.department_id)
        department = found
    result = selectors.coverage_for(request.user, department=department)
    return TrainingCoverageOut(
        need_ids=[n.pk for n in result.needs],
        departments=[
            DepartmentCoverageOut(
                department_id=d.department.pk if d.department else None,
                department=str(d.department) if d.department else "",
                counts=_counts(d.counts),
            )
            for d in result.departments
        ],
        totals=_counts(result.totals),
    )
