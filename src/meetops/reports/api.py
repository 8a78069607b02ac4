"""Summary report API: /meetings/{id}/report (+ draft, submit, approve, return,
instructions/{n}/actions) and /approvals. Mounted at "/" with full paths."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from meetops.core.errors import NotFound, PermissionDenied, ValidationFailed
from meetops.core.inbox import waiting_count
from meetops.core.schemas import DbId, Input
from meetops.core.validation import SaneDate
from meetops.core.web import AuthedRequest
from meetops.meetings.models import Meeting
from meetops.people.models import Department, User
from meetops.reports import errors, services
from meetops.reports.inbox import waiting_for
from meetops.reports.models import SummaryReport
from meetops.reports.permissions import can_write_report
from meetops.reports.selectors import load_for_report, report_of

router = Router(tags=["reports"])


class ApprovalOut(Schema):
    leader_id: DbId
    leader: str
    decision: str
    instructions: str
    no_instructions: bool
    decided_at: datetime | None


class InstructionOut(Schema):
    number: int
    text: str
    leader: str
    action_id: DbId | None


class ReportOut(Schema):
    meeting_id: DbId
    state: str
    revision: int
    title: str
    overview: str
    topics: str
    discussion: str
    consensus: str
    summary: str
    follow_up: str
    submitted_at: datetime | None
    approved_at: datetime | None
    approvals: list[ApprovalOut]
    instructions: list[InstructionOut]
    can_edit: bool


class ReportIn(Input):
    revision: int | None = Field(None, description="The revision you read; a mismatch is 409")
    title: str = Field(..., max_length=2000)
    overview: str = Field("", max_length=100000)
    topics: str = Field("", max_length=100000)
    discussion: str = Field("", max_length=100000)
    consensus: str = Field("", max_length=100000)
    summary: str = Field("", max_length=100000)
    follow_up: str = Field("", max_length=100000)


class SubmitIn(Input):
    leader_ids: list[DbId] = Field(..., max_length=50)


class InstructionsIn(Input):
    instructions: str = Field("", max_length=100000)


class PlanIn(Input):
    title: str = Field("", max_length=2000)
    owner_id: DbId | None = None
    department_id: DbId | None = None
    due_date: SaneDate | None = None


class PlannedOut(Schema):
    id: int
    title: str
    owner_id: DbId | None
    department_id: DbId | None
    due_date: date | None
    instruction: int


class WaitingOut(Schema):
    kind: str
    label: str
    # Empty for what belongs to no meeting (a best practice from elsewhere awaiting approval).
    meeting_id: int | None
    meeting_title: str
    # What the item is about: the meeting's title, or the case's or booking's own.
    title: str
    url: str
    since: datetime | None
    by: str


def _out(report: SummaryReport, user: User) -> ReportOut:
    return ReportOut(
        meeting_id=report.meeting_id,
        state=report.state,
        revision=report.revision,
        submitted_at=report.submitted_at,
        approved_at=report.approved_at,
        approvals=[
            ApprovalOut(
                leader_id=a.leader_id,
                leader=str(a.leader),
                decision=a.decision,
                instructions=a.instructions,
                no_instructions=a.no_instructions,
                decided_at=a.decided_at,
            )
            for a in report.approvals.all()
        ],
        instructions=[
            InstructionOut(
                number=i.number, text=i.text, leader=str(i.leader), action_id=i.action_id
            )
            for i in report.instructions.all()
        ],
        can_edit=can_write_report(user, report.meeting) and not report.locked,
        **report.content(),
    )


def _fresh(meeting: Meeting, user: User) -> ReportOut:
    report = report_of(meeting)
    assert report is not None
    return _out(report, user)


def _existing(request: AuthedRequest, meeting_id: int) -> SummaryReport:
    meeting = load_for_report(request.user, meeting_id)
    report = report_of(meeting)
    if report is None:
        raise errors.not_drafted()
    return report


@router.get("/meetings/{int:meeting_id}/report", response=ReportOut, summary="The summary report")
def read_report(request: AuthedRequest, meeting_id: int) -> ReportOut:
    return _out(_existing(request, meeting_id), request.user)


@router.put("/meetings/{int:meeting_id}/report", response=ReportOut, summary="Replace its text")
def write_report(request: AuthedRequest, meeting_id: int, payload: ReportIn) -> ReportOut:
    meeting = load_for_report(request.user, meeting_id)
    fields = payload.dict(exclude={"revision"})
    services.save_report(meeting, actor=request.user, fields=fields, revision=payload.revision)
    return _fresh(meeting, request.user)


@router.post(
    "/meetings/{int:meeting_id}/report/draft",
    response=ReportOut,
    summary="Draft (or re-draft) the report from the meeting's agenda, sign-ins, minutes and actions",
)
def draft(request: AuthedRequest, meeting_id: int) -> ReportOut:
    meeting = load_for_report(request.user, meeting_id)
    services.draft_report(meeting, actor=request.user)
    return _fresh(meeting, request.user)


@router.post(
    "/meetings/{int:meeting_id}/report/submit",
    response=ReportOut,
    summary="Submit to leaders for approval and instructions",
)
def submit(request: AuthedRequest, meeting_id: int, payload: SubmitIn) -> ReportOut:
    report = _existing(request, meeting_id)
    leaders = list(User.objects.filter(pk__in=payload.leader_ids))
    if len(leaders) != len(set(payload.leader_ids)):
        raise ValidationFailed(_("Unknown user."), "unknown_user", field="leader_ids")
    services.submit_report(report, actor=request.user, leaders=leaders)
    return _fresh(report.meeting, request.user)


@router.post(
    "/meetings/{int:meeting_id}/report/approve",
    response=ReportOut,
    summary="Approve, with instructions (批示) or none",
)
def approve(request: AuthedRequest, meeting_id: int, payload: InstructionsIn) -> ReportOut:
    report = _existing(request, meeting_id)
    services.approve_report(report, actor=request.user, instructions=payload.instructions)
    return _fresh(report.meeting, request.user)


@router.post(
    "/meetings/{int:meeting_id}/report/return",
    response=ReportOut,
    summary="Return with instructions saying what should change",
)
def return_(request: AuthedRequest, meeting_id: int, payload: InstructionsIn) -> ReportOut:
    report = _existing(request, meeting_id)
    services.return_report(report, actor=request.user, instructions=payload.instructions)
    return _fresh(report.meeting, request.user)


@router.post(
    "/meetings/{int:meeting_id}/report/instructions/{int:number}/actions",
    response={201: PlannedOut},
    summary="Turn instruction line n into an action item (execution plan)",
)
def plan(request: AuthedRequest, meeting_id: int, number: int, payload: PlanIn) -> Status:
    report = _existing(request, meeting_id)
    instruction = next((i for i in report.instructions.all() if i.number == number), None)
    if instruction is None:
        raise NotFound(code="instruction_not_found")
    if not can_write_report(request.user, report.meeting):
        raise PermissionDenied()
    owner = department = None
    if payload.owner_id is not None:
        owner = User.objects.filter(pk=payload.owner_id, is_active=True).first()
        if owner is None:
            raise ValidationFailed(_("Unknown user."), "unknown_user", field="owner_id")
    if payload.department_id is not None:
        department = Department.objects.filter(pk=payload.department_id).first()
        if department is None:
            raise ValidationFailed(
                _("Unknown department."), "unknown_department", field="department_id"
            )
    action = services.plan_instruction(
        instruction,
        actor=request.user,
        owner=owner,
        department=department,
        due_date=payload.due_date,
        title=payload.title,
    )
    return Status(
        201,
        PlannedOut(
            id=action.pk,
            title=action.title,
            owner_id=action.owner_id,
            department_id=action.department_id,
            due_date=action.due_date,
            instruction=number,
        ),
    )


class WaitingCountOut(Schema):
    count: int


@router.get(
    "/approvals/count",
    response=WaitingCountOut,
    summary="How many things wait on the signed-in user: the count of /approvals",
)
def approvals_count(request: AuthedRequest) -> WaitingCountOut:
    return WaitingCountOut(count=waiting_count(request.user))


@router.get(
    "/approvals",
    response=list[WaitingOut],
    summary="Everything awaiting the signed-in user's decision (reports, minutes, plans, cases, ...)",
)
def approvals(request: AuthedRequest) -> list[WaitingOut]:
    return [
        WaitingOut(
            kind=i.kind,
            label=i.label,
            meeting_id=i.meeting.pk if i.meeting is not None else None,
            meeting_title=i.meeting.title if i.meeting is not None else "",
            title=i.title,
            url=i.url,
            since=i.since,
            by=i.by,
        )
        for i in waiting_for(request.user)
    ]
