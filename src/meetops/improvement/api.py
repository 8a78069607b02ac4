"""Lessons, improvement measures and cases API. Full paths; mounted at "/"."""

from datetime import date, datetime
from typing import Literal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import ApiDatetime, DbId, Input, Pagination
from meetops.core.validation import SaneDate
from meetops.core.web import AuthedRequest
from meetops.improvement import errors, selectors, sources
from meetops.improvement.models import Case, Lesson, Measure
from meetops.improvement.permissions import can_see_proposals
from meetops.improvement.selectors import LessonFilters
from meetops.improvement.services import cases as case_services
from meetops.improvement.services import lessons as lesson_services
from meetops.improvement.services import measures as measure_services
from meetops.meetings.models import MeetingKind
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import Department, User

router = Router(tags=["improvement"])

PhaseCode = Literal["preparation", "running", "after", "followup"]
CategoryCode = Literal["venue", "time", "people", "materials", "tech", "process", "other"]
EffectCode = Literal["positive", "negative"]
MeasureCode = Literal["planned", "in_progress", "done", "dropped"]
EffectivenessCode = Literal["effective", "partly", "not_effective"]
Text = Field("", max_length=5000)


def _department(pk: int | None) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(pk=pk).first()
    if department is None:
        raise errors.invalid({"department_id": _("Choose a department.")})
    return department


# --- sources (P6.7, P9.1) -----------------------------------------------------------


class SourceOut(Schema):
    """Where a lesson or a measure came from; `url` leads back to it on its page."""

    kind: str
    kind_label: str
    id: DbId | None
    key: str
    label: str
    url: str


class SourceIn(Input):
    kind: Literal[
        "survey_answer",
        "survey_question",
        "evaluation_indicator",
        "followup_review",
        "risk_drill",
        "lesson",
    ]
    id: DbId
    key: str = Field("", max_length=40, description="The indicator's code, for evaluation results")

    def load(self, user: User) -> sources.Source:
        """The source for this user: 404 for what they may not read."""
        return sources.load(user, self.kind, self.id, self.key)


def _source_out(row: Lesson | Measure) -> SourceOut | None:
    link = sources.link_of(row)
    return SourceOut(**link) if link else None


# --- lessons ---------------------------------------------------------------------


class LessonOut(Schema):
    id: int
    meeting_id: DbId | None
    department_id: DbId | None
    phase: str
    category: str
    effect: str
    what_happened: str
    cause: str
    root_cause: str
    source: str
    source_link: SourceOut | None
    author_id: DbId | None
    created_at: datetime

    @staticmethod
    def resolve_source_link(obj: Lesson) -> SourceOut | None:
        return _source_out(obj)


class LessonIn(Input):
    meeting_id: DbId | None = Field(None, description="Leave out for an organisation-wide lesson")
    department_id: DbId | None = None
    phase: PhaseCode
    category: CategoryCode
    effect: EffectCode
    what_happened: str = Field(..., max_length=5000)
    cause: str = Text
    root_cause: str = Field("", max_length=200)
    source: str = Field("", max_length=100)


class LessonFromSourceIn(Input):
    source: SourceIn
    phase: PhaseCode | None = Field(None, description="Leave out to take the source's")
    category: CategoryCode | None = None
    effect: EffectCode | None = None
    what_happened: str | None = Field(None, max_length=5000)
    cause: str = Text
    root_cause: str = Field("", max_length=200)


class LessonPatch(Input):
    phase: PhaseCode | None = None
    category: CategoryCode | None = None
    effect: EffectCode | None = None
    what_happened: str | None = Field(None, max_length=5000)
    cause: str | None = Field(None, max_length=5000)
    root_cause: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=100)


class LessonQuery(Input):
    category: CategoryCode | None = None
    phase: PhaseCode | None = None
    effect: EffectCode | None = None
    kind: str = Field("", max_length=40)
    department_id: DbId | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    meeting_id: DbId | None = None
    q: str = Field("", max_length=200)

    def filters(self) -> LessonFilters:
        return LessonFilters(
            category=self.category or "",
            phase=self.phase or "",
            effect=self.effect or "",
            kind=self.kind,
            department=self.department_id,
            year=self.year,
            meeting=self.meeting_id,
            q=self.q,
        )


class CategoryCountOut(Schema):
    category: str
    problems: int
    keep: int


class RecurringQuery(LessonQuery):
    min_meetings: int = Field(selectors.RECURRING_MEETINGS, ge=2, le=50)


class RecurringMeetingOut(Schema):
    id: DbId
    title: str


class RecurringCauseOut(Schema):
    kind: str = Field(..., description='"category" or "root_cause"')
    code: str
    label: str
    meetings: list[RecurringMeetingOut]


def _lesson_out(lesson: Lesson) -> LessonOut:
    return LessonOut.from_orm(lesson)


@router.get("/lessons", response=list[LessonOut], summary="Lessons you may see, newest first")
@paginate(Pagination)
def list_lessons(request: AuthedRequest, filters: Query[LessonQuery]) -> QuerySet[Lesson]:
    return selectors.search_lessons(request.user, filters.filters())


@router.get("/lessons/counts", response=list[CategoryCountOut], summary="Lessons per category")
def lesson_counts(request: AuthedRequest, filters: Query[LessonQuery]) -> list[CategoryCountOut]:
    qs = selectors.search_lessons(request.user, filters.filters())
    return [
        CategoryCountOut(category=c.code, problems=c.problems, keep=c.keep)
        for c in selectors.category_counts(qs)
    ]


@router.get(
    "/lessons/recurring",
    response=list[RecurringCauseOut],
    summary="Causes of problems met in several meetings",
)
def recurring_causes(
    request: AuthedRequest, filters: Query[RecurringQuery]
) -> list[RecurringCauseOut]:
    qs = selectors.search_lessons(request.user, filters.filters())
    return [
        RecurringCauseOut(
            kind=c.kind,
            code=c.code,
            label=c.label,
            meetings=[RecurringMeetingOut(id=m.pk, title=m.title) for m in c.meetings],
        )
        for c in selectors.recurring_causes(qs, filters.min_meetings)
    ]


@router.post(
    "/lessons/from-source",
    response={201: LessonOut},
    summary="Record a lesson from a questionnaire answer, a low rating or an evaluation result",
)
def create_lesson_from_source(request: AuthedRequest, payload: LessonFromSourceIn) -> Status:
    origin = payload.source.load(request.user)
    lesson = lesson_services.record_lesson_from_source(
        origin, actor=request.user, **payload.dict(exclude={"source"})
    )
    return Status(201, _lesson_out(lesson))


@router.post("/lessons", response={201: LessonOut}, summary="Record a lesson")
def create_lesson(request: AuthedRequest, payload: LessonIn) -> Status:
    meeting = get_meeting_for_user(request.user, payload.meeting_id) if payload.meeting_id else None
    lesson = lesson_services.record_lesson(
        actor=request.user,
        meeting=meeting,
        department=_department(payload.department_id),
        **payload.dict(exclude={"meeting_id", "department_id"}),
    )
    return Status(201, _lesson_out(lesson))


@router.get("/lessons/{int:lesson_id}", response=LessonOut)
def read_lesson(request: AuthedRequest, lesson_id: int) -> LessonOut:
    return _lesson_out(selectors.get_lesson_for_user(request.user, lesson_id))


@router.patch("/lessons/{int:lesson_id}", response=LessonOut, summary="Change a lesson")
def patch_lesson(request: AuthedRequest, lesson_id: int, payload: LessonPatch) -> LessonOut:
    lesson = selectors.get_lesson_for_user(request.user, lesson_id)
    changes = payload.dict(exclude_unset=True)
    return _lesson_out(lesson_services.update_lesson(lesson, actor=request.user, **changes))


@router.delete("/lessons/{int:lesson_id}", response={204: None}, summary="Delete a lesson")
def delete_lesson(request: AuthedRequest, lesson_id: int) -> Status:
    lesson = selectors.get_lesson_for_user(request.user, lesson_id)
    lesson_services.delete_lesson(lesson, actor=request.user)
    return Status(204, None)


# --- measures --------------------------------------------------------------------


class MeasureOut(Schema):
    id: int
    title: str
    description: str
    meeting_id: DbId | None
    lesson_ids: list[DbId]
    owner_id: DbId | None
    owner_department_id: DbId | None
    due_date: date
    expected_effect: str
    status: str
    overdue: bool
    result_note: str
    evidence: str
    drop_reason: str
    effectiveness: str
    review_note: str
    reviewed_by_id: DbId | None
    reviewed_at: datetime | None
    proposes_process_change: bool
    process_change: str
    created_by_id: DbId | None
    source: SourceOut | None

    @staticmethod
    def resolve_source(obj: Measure) -> SourceOut | None:
        return _source_out(obj)

    @staticmethod
    def resolve_lesson_ids(obj: Measure) -> list[int]:
        return [x.pk for x in obj.lessons.all()]  # prefetched by the list

    @staticmethod
    def resolve_overdue(obj: Measure) -> bool:
        return selectors.is_overdue(obj)


class MeasureIn(Input):
    title: str = Field(..., max_length=300)
    description: str = Text
    meeting_id: DbId | None = None
    lesson_ids: list[DbId] = Field(default_factory=list, max_length=100)
    owner_id: DbId | None = None
    owner_department_id: DbId | None = None
    due_date: SaneDate
    expected_effect: str = Text
    proposes_process_change: bool = False
    process_change: str = Text


class MeasureFromSourceIn(Input):
    source: SourceIn
    title: str | None = Field(None, max_length=300, description="Leave out to take the source's")
    description: str | None = Field(None, max_length=5000)
    owner_id: DbId | None = None
    owner_department_id: DbId | None = None
    due_date: SaneDate
    expected_effect: str = Text
    proposes_process_change: bool = False
    process_change: str = Text


class MeasurePatch(Input):
    title: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)
    owner_id: DbId | None = None
    owner_department_id: DbId | None = None
    due_date: SaneDate | None = None
    expected_effect: str | None = Field(None, max_length=5000)
    proposes_process_change: bool | None = None
    process_change: str | None = Field(None, max_length=5000)


class MeasureQuery(Input):
    status: MeasureCode | None = None
    overdue: bool = False
    mine: bool = False


class CompleteIn(Input):
    result_note: str = Field(..., max_length=5000)
    evidence: str = Text


class DropIn(Input):
    reason: str = Field(..., max_length=5000)


class ReviewIn(Input):
    effectiveness: EffectivenessCode
    note: str = Text


def _measure_out(measure: Measure) -> MeasureOut:
    return MeasureOut.from_orm(measure)


@router.get("/improvements", response=list[MeasureOut], summary="Improvement measures you may see")
@paginate(Pagination)
def list_measures(request: AuthedRequest, filters: Query[MeasureQuery]) -> QuerySet[Measure]:
    qs = selectors.search_measures(
        request.user, status=filters.status or "", overdue=filters.overdue, mine=filters.mine
    ).prefetch_related("lessons")
    return qs


@router.get(
    "/improvements/proposals", response=list[MeasureOut], summary="Proposed process changes"
)
def list_proposals(request: AuthedRequest) -> list[Measure]:
    if not can_see_proposals(request.user):
        raise PermissionDenied()
    # The rows, not MeasureOut objects: ninja validates the answer again through MeasureOut's
    # resolvers, which read a Measure (found by the fuzz test: 500 as soon as one existed).
    return list(selectors.process_proposals().prefetch_related("lessons"))


@router.post("/improvements", response={201: MeasureOut}, summary="Plan a measure")
def create_measure(request: AuthedRequest, payload: MeasureIn) -> Status:
    meeting = get_meeting_for_user(request.user, payload.meeting_id) if payload.meeting_id else None
    lessons = list(selectors.lessons_visible_to(request.user).filter(pk__in=payload.lesson_ids))
    if len(lessons) != len(set(payload.lesson_ids)):
        raise NotFound()
    measure = measure_services.create_measure(
        actor=request.user,
        meeting=meeting,
        lessons=lessons,
        owner=selectors.user_by_id(payload.owner_id),
        owner_department=_department(payload.owner_department_id),
        **payload.dict(exclude={"meeting_id", "lesson_ids", "owner_id", "owner_department_id"}),
    )
    return Status(201, _measure_out(measure))


@router.post(
    "/improvements/from-source",
    response={201: MeasureOut},
    summary="Plan a measure from an evaluation result, an acceptance, a drill or a lesson",
)
def create_measure_from_source(request: AuthedRequest, payload: MeasureFromSourceIn) -> Status:
    origin = payload.source.load(request.user)
    measure = measure_services.plan_measure_from_source(
        origin,
        actor=request.user,
        owner=selectors.user_by_id(payload.owner_id),
        owner_department=_department(payload.owner_department_id),
        **payload.dict(exclude={"source", "owner_id", "owner_department_id"}),
    )
    return Status(201, _measure_out(measure))


@router.get("/improvements/{int:measure_id}", response=MeasureOut)
def read_measure(request: AuthedRequest, measure_id: int) -> MeasureOut:
    return _measure_out(selectors.get_measure_for_user(request.user, measure_id))


@router.patch("/improvements/{int:measure_id}", response=MeasureOut, summary="Change the plan")
def patch_measure(request: AuthedRequest, measure_id: int, payload: MeasurePatch) -> MeasureOut:
    measure = selectors.get_measure_for_user(request.user, measure_id)
    changes = payload.dict(exclude_unset=True, exclude={"owner_id", "owner_department_id"})
    if "owner_id" in payload.model_fields_set:
        changes["owner"] = selectors.user_by_id(payload.owner_id)
    if "owner_department_id" in payload.model_fields_set:
        changes["owner_department"] = _department(payload.owner_department_id)
    return _measure_out(measure_services.update_measure(measure, actor=request.user, **changes))


@router.post("/improvements/{int:measure_id}/start", response=MeasureOut)
def start_measure(request: AuthedRequest, measure_id: int) -> MeasureOut:
    measure = selectors.get_measure_for_user(request.user, measure_id)
    return _measure_out(measure_services.start_measure(measure, actor=request.user))


@router.post("/improvements/{int:measure_id}/complete", response=MeasureOut)
def complete_measure(request: AuthedRequest, measure_id: int, payload: CompleteIn) -> MeasureOut:
    measure = selectors.get_measure_for_user(request.user, measure_id)
    done = measure_services.complete_measure(
        measure, actor=request.user, result_note=payload.result_note, evidence=payload.evidence
    )
    return _measure_out(done)


@router.post("/improvements/{int:measure_id}/drop", response=MeasureOut)
def drop_measure(request: AuthedRequest, measure_id: int, payload: DropIn) -> MeasureOut:
    measure = selectors.get_measure_for_user(request.user, measure_id)
    return _measure_out(
        measure_services.drop_measure(measure, actor=request.user, reason=payload.reason)
    )


@router.post(
    "/improvements/{int:measure_id}/review", response=MeasureOut, summary="Was it effective?"
)
def review_measure(request: AuthedRequest, measure_id: int, payload: ReviewIn) -> MeasureOut:
    measure = selectors.get_measure_for_user(request.user, measure_id)
    reviewed = measure_services.review_measure(
        measure, actor=request.user, effectiveness=payload.effectiveness, note=payload.note
    )
    return _measure_out(reviewed)


# --- cases -----------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    kind: str
    meeting_id: DbId | None
    source: str
    source_url: str
    title: str
    summary: str
    success_factors: str
    materials_note: str
    tags: list[str]
    status: str
    proposed_by_id: DbId | None
    decided_by_id: DbId | None
    decision_note: str
    published_at: datetime | None

    @staticmethod
    def resolve_tags(obj: Case) -> list[str]:
        return obj.tag_list


class CaseIn(Input):
    meeting_id: DbId | None = Field(
        None, description="Leave out for a best practice from elsewhere"
    )
    title: str = Field(..., max_length=300)
    summary: str = Field(..., max_length=10000)
    success_factors: str = Field(..., max_length=10000)
    materials_note: str = Field("", max_length=10000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    source: str = Field("", max_length=300)
    source_url: str = Field("", max_length=500)
    submit: bool = False


class CasePatch(Input):
    title: str | None = Field(None, max_length=300)
    summary: str | None = Field(None, max_length=10000)
    success_factors: str | None = Field(None, max_length=10000)
    materials_note: str | None = Field(None, max_length=10000)
    tags: list[str] | None = Field(None, max_length=20)
    source: str | None = Field(None, max_length=300)
    source_url: str | None = Field(None, max_length=500)


class CaseQuery(Input):
    q: str = Field("", max_length=200)
    tag: str = Field("", max_length=40)
    status: Literal["draft", "submitted", "published", "returned", ""] = "published"
    kind: Literal["meeting", "external", ""] = ""


class CaseDecisionIn(Input):
    note: str = Field("", max_length=2000)


class SharingIn(Input):
    meeting_id: DbId


class TemplateIn(Input):
    start: ApiDatetime
    title: str = Field("", max_length=300)
    kind: str | None = Field(
        None, max_length=40, description="Meeting kind code; needed for a practice from elsewhere"
    )
    duration_minutes: int | None = Field(None, ge=15, le=1440)


def _kind(code: str | None) -> MeetingKind | None:
    if code is None:
        return None
    kind = MeetingKind.objects.filter(code=code, active=True).first()
    if kind is None:
        raise errors.invalid({"kind": _("Choose the kind of meeting to start.")})
    return kind


class NewMeetingOut(Schema):
    meeting_id: DbId
    agenda_items: int


def _case_out(case: Case) -> CaseOut:
    return CaseOut.from_orm(case)


@router.get("/cases", response=list[CaseOut], summary="Cases you may read (published by default)")
@paginate(Pagination)
def list_cases(request: AuthedRequest, filters: Query[CaseQuery]) -> QuerySet[Case]:
    qs = selectors.search_cases(
        request.user, q=filters.q, tag=filters.tag, status=filters.status, kind=filters.kind
    )
    return qs


@router.post("/cases", response={201: CaseOut}, summary="Nominate a case")
def create_case(request: AuthedRequest, payload: CaseIn) -> Status:
    meeting = get_meeting_for_user(request.user, payload.meeting_id) if payload.meeting_id else None
    case = case_services.nominate_case(
        actor=request.user, meeting=meeting, **payload.dict(exclude={"meeting_id"})
    )
    return Status(201, _case_out(case))


@router.get("/cases/{int:case_id}", response=CaseOut)
def read_case(request: AuthedRequest, case_id: int) -> CaseOut:
    return _case_out(selectors.get_case_for_user(request.user, case_id))


@router.patch("/cases/{int:case_id}", response=CaseOut)
def patch_case(request: AuthedRequest, case_id: int, payload: CasePatch) -> CaseOut:
    case = selectors.get_case_for_user(request.user, case_id)
    changes = payload.dict(exclude_unset=True)
    return _case_out(case_services.update_case(case, actor=request.user, **changes))


@router.post("/cases/{int:case_id}/submit", response=CaseOut)
def submit_case(request: AuthedRequest, case_id: int) -> CaseOut:
    case = selectors.get_case_for_user(request.user, case_id)
    return _case_out(case_services.submit_case(case, actor=request.user))


@router.post("/cases/{int:case_id}/approve", response=CaseOut, summary="Publish a case")
def approve_case(request: AuthedRequest, case_id: int, payload: CaseDecisionIn) -> CaseOut:
    case = selectors.get_case_for_user(request.user, case_id)
    return _case_out(
        case_services.decide_case(case, actor=request.user, approve=True, note=payload.note)
    )


@router.post("/cases/{int:case_id}/return", response=CaseOut, summary="Return a case")
def return_case(request: AuthedRequest, case_id: int, payload: CaseDecisionIn) -> CaseOut:
    case = selectors.get_case_for_user(request.user, case_id)
    return _case_out(
        case_services.decide_case(case, actor=request.user, approve=False, note=payload.note)
    )


@router.post("/cases/{int:case_id}/sharing", response={201: CaseOut}, summary="Shared at a meeting")
def share_case(request: AuthedRequest, case_id: int, payload: SharingIn) -> Status:
    case = selectors.get_case_for_user(request.user, case_id)
    meeting = get_meeting_for_user(request.user, payload.meeting_id)
    case_services.link_sharing_session(case, actor=request.user, meeting=meeting)
    return Status(201, _case_out(case))


@router.post("/cases/{int:case_id}/use", response={201: NewMeetingOut}, summary="Use as template")
def use_case(request: AuthedRequest, case_id: int, payload: TemplateIn) -> Status:
    case = selectors.get_case_for_user(request.user, case_id)
    meeting = case_services.start_meeting_from_case(
        case,
        actor=request.user,
        start=payload.start,
        title=payload.title,
        kind=_kind(payload.kind),
        duration_minutes=payload.duration_minutes,
    )
    return Status(
        201, NewMeetingOut(meeting_id=meeting.pk, agenda_items=meeting.agenda_items.count())
    )
