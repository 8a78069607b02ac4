"""Risks, emergency plan, readiness and risk events API. Full paths; mounted at "/"."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.schemas import ApiDatetime, DbId, Input
from meetops.core.validation import SaneYear
from meetops.core.web import AuthedRequest
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import Department
from meetops.risks import selectors, services
from meetops.risks.models import EmergencyDrill, EmergencyPlan, Risk, RiskEvent, RiskNote
from meetops.risks.overview import risk_overview
from meetops.risks.selectors import Readiness

router = Router(tags=["risks"])

PhaseCode = Literal["preparation", "running", "after"]
CategoryCode = Literal["venue", "technical", "absence", "security", "health", "weather", "other"]
StatusCode = Literal["open", "mitigated", "occurred", "closed"]
LevelCode = Literal["low", "medium", "high", "critical"]
ScenarioCode = Literal["evacuation", "medical", "power_av", "security", "other"]
OutcomeCode = Literal["passed", "issues", "failed"]
Score = Field(..., ge=1, le=5)


class RiskOut(Schema):
    id: int
    meeting_id: DbId
    phase: str
    category: str
    description: str
    likelihood: int
    impact: int
    score: int
    level: str
    response: str
    backup: str
    owner_id: DbId | None
    status: str


class RiskIn(Input):
    phase: PhaseCode
    category: CategoryCode
    description: str = Field(..., max_length=5000)
    likelihood: int = Score
    impact: int = Score
    response: str = Field("", max_length=5000)
    backup: str = Field("", max_length=5000)
    owner_id: DbId | None = None
    status: StatusCode = "open"


class RiskPatch(Input):
    phase: PhaseCode | None = None
    category: CategoryCode | None = None
    description: str | None = Field(None, max_length=5000)
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    response: str | None = Field(None, max_length=5000)
    backup: str | None = Field(None, max_length=5000)
    owner_id: DbId | None = None
    status: StatusCode | None = None


class EmergencyPlanOut(Schema):
    meeting_id: DbId
    language: str
    status: str
    duty_contacts: str
    evacuation: str
    medical: str
    power_av: str
    security: str
    decision_note: str
    submitted_at: datetime | None
    decided_at: datetime | None
    decided_by_id: DbId | None


class EmergencyPlanIn(Input):
    language: Literal["zh-hans", "zh-hant", "en", ""] = ""
    duty_contacts: str = Field("", max_length=5000)
    evacuation: str = Field("", max_length=5000)
    medical: str = Field("", max_length=5000)
    power_av: str = Field("", max_length=5000)
    security: str = Field("", max_length=5000)


class PlanDecisionIn(Input):
    note: str = Field("", max_length=2000)


class ReadinessItemOut(Schema):
    code: str
    label: str
    required: bool
    automatic: bool
    evidence: bool | None
    detail: str
    ok: bool
    checked_by_id: DbId | None
    checked_at: datetime | None
    note: str


class ReadinessOut(Schema):
    items: list[ReadinessItemOut]
    missing: list[str]
    passed: bool
    signed_by_id: DbId | None
    signed_at: datetime | None


class CheckIn(Input):
    ok: bool = True
    note: str = Field("", max_length=500)


class EventOut(Schema):
    id: int
    risk_id: DbId | None
    occurred_at: datetime
    level: str
    cause: str
    handling: str
    result: str
    lessons: str
    recorded_by_id: DbId | None


class EventIn(Input):
    risk_id: DbId | None = None
    level: LevelCode | None = Field(None, description="Needed when no risk is linked")
    occurred_at: ApiDatetime
    cause: str = Field(..., max_length=5000)
    handling: str = Field(..., max_length=5000)
    result: str = Field("", max_length=5000)
    lessons: str = Field("", max_length=5000)


def _risk_out(risk: Risk) -> RiskOut:
    return RiskOut(
        id=risk.pk,
        meeting_id=risk.meeting_id,
        phase=risk.phase,
        category=risk.category,
        description=risk.description,
        likelihood=risk.likelihood,
        impact=risk.impact,
        score=risk.score,
        level=risk.level,
        response=risk.response,
        backup=risk.backup,
        owner_id=risk.owner_id,
        status=risk.status,
    )


def _plan_out(plan: EmergencyPlan) -> EmergencyPlanOut:
    return EmergencyPlanOut(
        meeting_id=plan.meeting_id,
        language=plan.language,
        status=plan.status,
        duty_contacts=plan.duty_contacts,
        evacuation=plan.evacuation,
        medical=plan.medical,
        power_av=plan.power_av,
        security=plan.security,
        decision_note=plan.decision_note,
        submitted_at=plan.submitted_at,
        decided_at=plan.decided_at,
        decided_by_id=plan.decided_by_id,
    )


def _readiness_out(readiness: Readiness) -> ReadinessOut:
    items = [
        ReadinessItemOut(
            code=i.code,
            label=str(i.label),
            required=i.required,
            automatic=i.automatic,
            evidence=i.evidence,
            detail=str(i.detail),
            ok=i.ok,
            checked_by_id=i.check.checked_by_id if i.check else None,
            checked_at=i.check.checked_at if i.check else None,
            note=i.check.note if i.check else "",
        )
        for i in readiness.items
    ]
    sig = readiness.signature
    return ReadinessOut(
        items=items,
        missing=readiness.missing,
        passed=readiness.passed,
        signed_by_id=sig.signed_by_id if sig else None,
        signed_at=sig.signed_at if sig else None,
    )


def _event_out(event: RiskEvent) -> EventOut:
    return EventOut(
        id=event.pk,
        risk_id=event.risk_id,
        occurred_at=event.occurred_at,
        level=event.level,
        cause=event.cause,
        handling=event.handling,
        result=event.result,
        lessons=event.lessons,
        recorded_by_id=event.recorded_by_id,
    )


@router.get("/meetings/{int:meeting_id}/risks", response=list[RiskOut], summary="Risk register")
def list_risks(request: AuthedRequest, meeting_id: int) -> list[RiskOut]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return [_risk_out(r) for r in selectors.risks_of(meeting)]


@router.post("/meetings/{int:meeting_id}/risks", response={201: RiskOut}, summary="Add a risk")
def create_risk(request: AuthedRequest, meeting_id: int, payload: RiskIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    values = payload.dict(exclude={"owner_id"})
    owner = selectors.owner_by_id(payload.owner_id)
    risk = services.add_risk(meeting, actor=request.user, owner=owner, **values)
    return Status(201, _risk_out(risk))


@router.patch(
    "/risks/{int:risk_id}", response=RiskOut, summary="Change a risk (fields left out stay)"
)
def patch_risk(request: AuthedRequest, risk_id: int, payload: RiskPatch) -> RiskOut:
    risk = selectors.get_risk_for_user(request.user, risk_id, write=True)
    changes = payload.dict(exclude_unset=True, exclude={"owner_id"})
    if "owner_id" in payload.model_fields_set:
        changes["owner"] = selectors.owner_by_id(payload.owner_id)
    return _risk_out(services.update_risk(risk, actor=request.user, **changes))


@router.get(
    "/meetings/{int:meeting_id}/emergency-plan", response=EmergencyPlanOut, summary="Emergency plan"
)
def read_plan(request: AuthedRequest, meeting_id: int) -> EmergencyPlanOut:
    """Without a saved plan: the default template in the caller's language, status draft."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _plan_out(selectors.plan_of(meeting, language=request.user.language))


@router.put(
    "/meetings/{int:meeting_id}/emergency-plan", response=EmergencyPlanOut, summary="Write the plan"
)
def write_plan(
    request: AuthedRequest, meeting_id: int, payload: EmergencyPlanIn
) -> EmergencyPlanOut:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    sections = payload.dict(exclude={"language"})
    plan = services.save_plan(
        meeting, actor=request.user, sections=sections, language=payload.language
    )
    return _plan_out(plan)


@router.post("/meetings/{int:meeting_id}/emergency-plan/submit", response=EmergencyPlanOut)
def submit_plan(request: AuthedRequest, meeting_id: int) -> EmergencyPlanOut:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    return _plan_out(services.submit_plan(meeting, actor=request.user))


@router.post("/meetings/{int:meeting_id}/emergency-plan/approve", response=EmergencyPlanOut)
def approve_plan(
    request: AuthedRequest, meeting_id: int, payload: PlanDecisionIn
) -> EmergencyPlanOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    plan = services.decide_plan(meeting, actor=request.user, approve=True, note=payload.note)
    return _plan_out(plan)


@router.post("/meetings/{int:meeting_id}/emergency-plan/return", response=EmergencyPlanOut)
def return_plan(
    request: AuthedRequest, meeting_id: int, payload: PlanDecisionIn
) -> EmergencyPlanOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    plan = services.decide_plan(meeting, actor=request.user, approve=False, note=payload.note)
    return _plan_out(plan)


@router.get("/meetings/{int:meeting_id}/readiness", response=ReadinessOut, summary="Readiness")
def read_readiness(request: AuthedRequest, meeting_id: int) -> ReadinessOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _readiness_out(selectors.readiness_of(meeting))


@router.post(
    "/meetings/{int:meeting_id}/readiness/items/{item}/check",
    response=ReadinessOut,
    summary="Check one readiness item",
)
def check_item(
    request: AuthedRequest, meeting_id: int, item: str, payload: CheckIn
) -> ReadinessOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    services.check_item(meeting, item, actor=request.user, ok=payload.ok, note=payload.note)
    return _readiness_out(selectors.readiness_of(meeting))


@router.post(
    "/meetings/{int:meeting_id}/readiness/sign",
    response=ReadinessOut,
    summary="Sign the inspection",
)
def sign_readiness(
    request: AuthedRequest, meeting_id: int, payload: PlanDecisionIn
) -> ReadinessOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    services.sign_readiness(meeting, actor=request.user, note=payload.note)
    return _readiness_out(selectors.readiness_of(meeting))


@router.get(
    "/meetings/{int:meeting_id}/risk-events", response=list[EventOut], summary="Risk events"
)
def list_events(request: AuthedRequest, meeting_id: int) -> list[EventOut]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return [_event_out(e) for e in selectors.events_of(meeting)]


@router.post("/meetings/{int:meeting_id}/risk-events", response={201: EventOut})
def record_event(request: AuthedRequest, meeting_id: int, payload: EventIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    risk = selectors.risk_of_meeting(meeting, payload.risk_id) if payload.risk_id else None
    event = services.record_risk_event(
        meeting,
        actor=request.user,
        risk=risk,
        level=payload.level or "",
        **payload.dict(exclude={"risk_id", "level"}),
    )
    return Status(201, _event_out(event))


class DrillOut(Schema):
    id: int
    held_at: datetime
    scenario: ScenarioCode
    participants: int
    duration_minutes: int
    outcome: OutcomeCode
    findings: str
    improvements: str
    recorded_by_id: DbId | None

    @staticmethod
    def of(drill: EmergencyDrill) -> "DrillOut":
        return DrillOut.model_validate(drill, from_attributes=True)


class DrillIn(Input):
    held_at: ApiDatetime
    scenario: ScenarioCode
    participants: int = Field(..., ge=1, le=100000)
    duration_minutes: int = Field(..., ge=1, le=services.MAX_DRILL_MINUTES)
    outcome: OutcomeCode
    findings: str = Field("", max_length=5000, description="Required unless the outcome is passed")
    improvements: str = Field(
        "", max_length=5000, description="Required unless the outcome is passed"
    )


@router.get(
    "/meetings/{int:meeting_id}/drills", response=list[DrillOut], summary="Emergency drills"
)
def list_drills(request: AuthedRequest, meeting_id: int) -> list[DrillOut]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return [DrillOut.of(d) for d in selectors.drills_of(meeting)]


@router.post(
    "/meetings/{int:meeting_id}/drills", response={201: DrillOut}, summary="Record a drill"
)
def record_drill(request: AuthedRequest, meeting_id: int, payload: DrillIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    drill = services.record_drill(meeting, actor=request.user, **payload.dict())
    return Status(201, DrillOut.of(drill))


class RiskCategoryCountOut(Schema):
    category: CategoryCode
    by_level: dict[str, int]
    total: int
    occurred: int


class OverviewOut(Schema):
    year: int
    meetings: int
    risks: int
    categories: list[RiskCategoryCountOut]
    events_by_level: dict[str, int]
    drills_by_outcome: dict[str, int]
    unanswered_risk_ids: list[DbId]


@router.get(
    "/risks/overview",
    response=OverviewOut,
    summary="Risks across the meetings of a year (organisers, leaders, admins)",
)
def overview(request: AuthedRequest, year: SaneYear | None = None) -> OverviewOut:
    from django.utils import timezone

    if not request.user.has_role("admin", "organiser", "leader"):
        raise PermissionDenied()
    data = risk_overview(request.user, year=year or timezone.localdate().year)
    return OverviewOut(
        year=data.year,
        meetings=data.meetings,
        risks=data.risks,
        categories=[
            RiskCategoryCountOut.model_validate(
                {
                    "category": r.code,
                    "by_level": r.by_level,
                    "total": r.total,
                    "occurred": r.occurred,
                }
            )
            for r in data.categories
        ],
        events_by_level=data.events_by_level,
        drills_by_outcome=data.drills_by_outcome,
        unanswered_risk_ids=[r.pk for r in data.unanswered],
    )


class NoteOut(Schema):
    id: int
    author_id: DbId | None
    text: str
    department_ids: list[DbId]
    created_at: datetime


class RiskNoteIn(Input):
    text: str = Field(..., max_length=5000)
    department_ids: list[DbId] = Field(default_factory=list)


def _note_out(note: RiskNote) -> NoteOut:
    return NoteOut(
        id=note.pk,
        author_id=note.author_id,
        text=note.text,
        department_ids=sorted(d.pk for d in note.departments.all()),
        created_at=note.created_at,
    )


@router.get(
    "/risks/{int:risk_id}/coordination",
    response=list[NoteOut],
    summary="A risk's coordination thread",
)
def list_notes(request: AuthedRequest, risk_id: int) -> list[NoteOut]:
    risk = selectors.get_risk_for_user(request.user, risk_id)
    return [_note_out(n) for n in selectors.notes_of(risk)]


@router.post(
    "/risks/{int:risk_id}/coordination",
    response={201: NoteOut},
    summary="Write to the departments concerned with a risk",
)
def post_note(request: AuthedRequest, risk_id: int, payload: RiskNoteIn) -> Status:
    from django.utils.translation import gettext as _

    risk = selectors.get_risk_for_user(request.user, risk_id)
    departments = list(Department.objects.filter(pk__in=payload.department_ids))
    if len(departments) != len(set(payload.department_ids)):
        raise ValidationFailed(
            _("Unknown department."), "unknown_department", fields=["department_ids"]
        )
    note = services.post_risk_note(
        risk, actor=request.user, text=payload.text, departments=departments
    )
    return Status(201, _note_out(note))
