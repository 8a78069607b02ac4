"""Follow-up API: /followup/items (board), /followup/summary, /followup/escalations (waiting for
me, answer), and per item /actions/{id}/followup, /progress, /comments, /due-date, /escalations,
/accept, /return, /cooperating-departments, /urge (催办). Mounted at "/" with full paths."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from meetops.core.errors import NotFound, PermissionDenied, ValidationFailed
from meetops.core.schemas import DbId, Input
from meetops.core.validation import SaneDate
from meetops.core.web import AuthedRequest
from meetops.followup import permissions, selectors, services
from meetops.followup.models import ActionUpdate, DueDateChange, Escalation, Review
from meetops.meetings.selectors import MeetingTitle, meeting_titles_for
from meetops.minutes.models import ActionState
from meetops.people.models import Department, User

if TYPE_CHECKING:
    from meetops.followup.selectors import BoardItem

router = Router(tags=["follow-up"])


class FollowupItemOut(Schema):
    id: int
    meeting_id: DbId
    meeting_title: str
    title: str
    owner_id: DbId | None
    owner: str | None
    department_id: DbId | None
    department: str | None
    cooperating_department_ids: list[DbId]
    due_date: date | None
    state: str
    overdue: bool
    percent: int | None
    open_escalations: int
    accepted: bool
    quality: int | None


class CountsOut(Schema):
    total: int
    open: int
    in_progress: int
    done: int
    cancelled: int
    overdue: int
    due_this_week: int
    on_time_rate: int | None = Field(
        description="Done on or before the due date, % of the items due by today (done items"
        " with a due date, and live items past it)"
    )


class BoardOut(Schema):
    counts: CountsOut
    items: list[FollowupItemOut]


class BoardQuery(Input):
    department: DbId | None = None
    owner: DbId | None = None
    meeting: DbId | None = None
    state: str = ""
    overdue: bool = False
    due_this_week: bool = False
    limit: int = Field(500, ge=1, le=500)


class UpdateOut(Schema):
    id: int
    kind: str
    percent: int | None
    note: str
    author: str
    has_attachment: bool
    created_at: datetime


class DueChangeOut(Schema):
    id: int
    old_date: date | None
    new_date: date
    reason: str
    changed_by: str
    created_at: datetime


class EscalationOut(Schema):
    id: int
    action_id: DbId
    kind: str
    state: str
    text: str
    raised_by: str | None
    recipient_ids: list[DbId]
    overdue_since: date | None
    stage: str = Field(description="heads | leaders: who an automatic escalation went to")
    answer: str
    answered_by: str | None
    answered_at: datetime | None
    created_at: datetime


class ReviewOut(Schema):
    id: int
    decision: str
    quality: int | None
    on_time: bool | None
    reason: str
    practice_note: str
    reviewed_by: str
    created_at: datetime


class ItemDetailOut(Schema):
    item: FollowupItemOut
    updates: list[UpdateOut]
    due_date_changes: list[DueChangeOut]
    escalations: list[EscalationOut]
    reviews: list[ReviewOut]


class ProgressIn(Input):
    percent: int = Field(..., ge=0, le=100)
    note: str = Field(..., max_length=20000)


class ProgressCommentIn(Input):
    note: str = Field(..., max_length=20000)


class DueDateIn(Input):
    due_date: SaneDate
    reason: str = Field(..., max_length=20000)


class EscalationIn(Input):
    kind: str = Field(..., description="coordination | resources | decision")
    text: str = Field(..., max_length=20000)
    leader_ids: list[DbId] = Field([], max_length=50)


class EscalationAnswerIn(Input):
    answer: str = Field(..., max_length=20000)


class AcceptIn(Input):
    quality: int = Field(..., description="1–5")
    practice_note: str = Field("", max_length=20000)


class UrgeIn(Input):
    note: str = Field("", max_length=500)


class UrgeOut(Schema):
    action_id: DbId
    owner: str
    urged_by: str
    urged_at: datetime


class ReturnIn(Input):
    reason: str = Field(..., max_length=20000)


class DepartmentsIn(Input):
    department_ids: list[DbId] = Field([], max_length=100)


def _name(user: User | None) -> str | None:
    return str(user) if user is not None else None


def item_out(a: "BoardItem", meetings: dict[int, MeetingTitle]) -> FollowupItemOut:
    """`meetings`: `meeting_titles_for` the reader; the field stays, holding a neutral label
    where the reader may follow the item but not see its meeting."""
    today = timezone.localdate()
    return FollowupItemOut(
        id=a.pk,
        meeting_id=a.meeting_id,
        meeting_title=meetings[a.meeting_id].title,
        title=a.title,
        owner_id=a.owner_id,
        owner=_name(a.owner),
        department_id=a.department_id,
        department=a.department.name if a.department else None,
        cooperating_department_ids=[c.department_id for c in a.cooperations.all()],
        due_date=a.due_date,
        state=a.state,
        overdue=a.is_live and a.due_date is not None and a.due_date < today,
        percent=a.percent,
        open_escalations=a.open_escalations or 0,
        accepted=a.accepted,
        quality=a.quality,
    )


def update_out(u: ActionUpdate) -> UpdateOut:
    return UpdateOut(
        id=u.pk,
        kind=u.kind,
        percent=u.percent,
        note=u.note,
        author=str(u.author),
        has_attachment=bool(u.attachment),
        created_at=u.created_at,
    )


def due_out(c: DueDateChange) -> DueChangeOut:
    return DueChangeOut(
        id=c.pk,
        old_date=c.old_date,
        new_date=c.new_date,
        reason=c.reason,
        changed_by=str(c.changed_by),
        created_at=c.created_at,
    )


def escalation_out(e: Escalation) -> EscalationOut:
    return EscalationOut(
        id=e.pk,
        action_id=e.action_id,
        kind=e.kind,
        state=e.state,
        text=e.text,
        raised_by=_name(e.raised_by),
        recipient_ids=[r.pk for r in e.recipients.all()],
        overdue_since=e.overdue_since,
        stage=e.stage,
        answer=e.answer,
        answered_by=_name(e.answered_by),
        answered_at=e.answered_at,
        created_at=e.created_at,
    )


def review_out(r: Review) -> ReviewOut:
    return ReviewOut(
        id=r.pk,
        decision=r.decision,
        quality=r.quality,
        on_time=r.on_time,
        reason=r.reason,
        practice_note=r.practice_note,
        reviewed_by=str(r.reviewed_by),
        created_at=r.created_at,
    )


def _load(request: AuthedRequest, action_id: int) -> "BoardItem":
    return selectors.get_item_for_user(request.user, action_id)


def _unknown(field: str, code: str = "unknown_reference") -> ValidationFailed:
    from django.utils.translation import gettext

    return ValidationFailed(gettext("Unknown reference."), code, field=field)


@router.get(
    "/followup/items", response=BoardOut, summary="The follow-up board: filtered items and counts"
)
def board(request: AuthedRequest, q: Query[BoardQuery]) -> BoardOut:
    states = set(ActionState.values) | set(selectors.STATE_VIEWS) | {""}
    if q.state not in states:
        raise _unknown("state", "unknown_state")
    department = None
    if q.department is not None:
        department = Department.objects.filter(pk=q.department).first()
        if department is None:
            raise _unknown("department")
    owner = None
    if q.owner is not None:
        owner = User.objects.filter(pk=q.owner).first()
        if owner is None:
            raise _unknown("owner")
    flt = selectors.BoardFilter(
        department=department,
        owner=owner,
        meeting_id=q.meeting,
        state=q.state,
        overdue=q.overdue,
        due_this_week=q.due_this_week,
    )
    rows, totals = selectors.board(request.user, flt, limit=q.limit)
    meetings = meeting_titles_for(request.user, {a.meeting_id for a in rows})
    return BoardOut(counts=CountsOut(**totals), items=[item_out(a, meetings) for a in rows])


class DepartmentLineOut(Schema):
    department: str
    total: int
    done: int
    overdue: int
    on_time_rate: int | None
    average_quality: float | None


class MeetingLineOut(Schema):
    meeting_id: DbId
    title: str
    total: int
    done: int
    overdue: int
    progress: int


class FollowupSummaryOut(Schema):
    counts: CountsOut
    departments: list[DepartmentLineOut]
    meetings: list[MeetingLineOut]


@router.get(
    "/followup/summary",
    response=FollowupSummaryOut,
    summary="Leadership summary (organisers, leaders, admins)",
)
def summary(request: AuthedRequest) -> FollowupSummaryOut:
    user = request.user
    if not permissions.sees_whole_board(user):
        raise PermissionDenied()
    data = selectors.summary(user)
    return FollowupSummaryOut(
        counts=CountsOut(**data.totals),
        departments=[DepartmentLineOut(**vars(d)) for d in data.departments],
        meetings=[
            MeetingLineOut(
                meeting_id=m.meeting_id,
                title=m.title,
                total=m.total,
                done=m.done,
                overdue=m.overdue,
                progress=m.progress,
            )
            for m in data.meetings
        ],
    )


@router.get(
    "/followup/escalations",
    response=list[EscalationOut],
    summary="Escalations waiting for my answer",
)
def my_escalations(request: AuthedRequest) -> list[EscalationOut]:
    rows = selectors.open_escalations_for(request.user).prefetch_related("recipients")
    return [escalation_out(e) for e in rows]


@router.post(
    "/followup/escalations/{int:escalation_id}/answer",
    response=EscalationOut,
    summary="Answer an escalation with a decision or instruction",
)
def answer(
    request: AuthedRequest, escalation_id: int, payload: EscalationAnswerIn
) -> EscalationOut:
    user = request.user
    escalation = Escalation.objects.filter(pk=escalation_id).select_related("action").first()
    if escalation is None:
        raise NotFound()
    _load(request, escalation.action_id)  # 404 unless the user may follow the item
    done = services.answer_escalation(escalation, actor=user, answer=payload.answer)
    return escalation_out(done)


@router.get(
    "/actions/{int:action_id}/followup",
    response=ItemDetailOut,
    summary="An action item with its follow-up timeline",
)
def item(request: AuthedRequest, action_id: int) -> ItemDetailOut:
    action = _load(request, action_id)
    t = selectors.timeline_of(action)
    return ItemDetailOut(
        item=item_out(action, meeting_titles_for(request.user, [action.meeting_id])),
        updates=[update_out(u) for u in t.updates],
        due_date_changes=[due_out(c) for c in t.due_changes],
        escalations=[escalation_out(e) for e in t.escalations],
        reviews=[review_out(r) for r in t.reviews],
    )


@router.post(
    "/actions/{int:action_id}/progress",
    response={201: UpdateOut},
    summary="Report progress (the owner)",
)
def progress(request: AuthedRequest, action_id: int, payload: ProgressIn) -> Status:
    update = services.post_progress(
        _load(request, action_id), actor=request.user, percent=payload.percent, note=payload.note
    )
    return Status(201, update_out(update))


@router.post(
    "/actions/{int:action_id}/comments",
    response={201: UpdateOut},
    summary="Comment (anyone involved)",
)
def comment(request: AuthedRequest, action_id: int, payload: ProgressCommentIn) -> Status:
    update = services.add_comment(_load(request, action_id), actor=request.user, note=payload.note)
    return Status(201, update_out(update))


@router.post(
    "/actions/{int:action_id}/due-date",
    response={201: DueChangeOut},
    summary="Change the due date with a reason",
)
def due_date(request: AuthedRequest, action_id: int, payload: DueDateIn) -> Status:
    change = services.change_due_date(
        _load(request, action_id),
        actor=request.user,
        due_date=payload.due_date,
        reason=payload.reason,
    )
    return Status(201, due_out(change))


@router.post(
    "/actions/{int:action_id}/escalations",
    response={201: EscalationOut},
    summary="Report a problem upwards",
)
def escalate(request: AuthedRequest, action_id: int, payload: EscalationIn) -> Status:
    action = _load(request, action_id)
    leaders = list(User.objects.filter(pk__in=payload.leader_ids))
    if len(leaders) != len(set(payload.leader_ids)):
        raise _unknown("leader_ids")
    escalation = services.raise_escalation(
        action, actor=request.user, kind=payload.kind, text_=payload.text, leaders=leaders
    )
    return Status(201, escalation_out(escalation))


@router.post(
    "/actions/{int:action_id}/accept",
    response={201: ReviewOut},
    summary="Accept done work with a rating",
)
def accept(request: AuthedRequest, action_id: int, payload: AcceptIn) -> Status:
    review = services.accept_action(
        _load(request, action_id),
        actor=request.user,
        quality=payload.quality,
        practice_note=payload.practice_note,
    )
    return Status(201, review_out(review))


@router.post(
    "/actions/{int:action_id}/return",
    response={201: ReviewOut},
    summary="Send done work back with a reason",
)
def send_back(request: AuthedRequest, action_id: int, payload: ReturnIn) -> Status:
    review = services.return_action(
        _load(request, action_id), actor=request.user, reason=payload.reason
    )
    return Status(201, review_out(review))


@router.put(
    "/actions/{int:action_id}/cooperating-departments",
    response=list[int],
    summary="Set the cooperating departments",
)
def cooperation(request: AuthedRequest, action_id: int, payload: DepartmentsIn) -> list[int]:
    action = _load(request, action_id)
    departments = list(Department.objects.filter(pk__in=payload.department_ids))
    if len(departments) != len(set(payload.department_ids)):
        raise _unknown("department_ids")
    saved = services.set_cooperating_departments(
        action, actor=request.user, departments=departments
    )
    return [d.pk for d in saved]


@router.post(
    "/actions/{int:action_id}/urge",
    response={201: UrgeOut},
    summary="Urge (催办) the owner of an overdue item: notifies them at once; once per item per day",
)
def urge(request: AuthedRequest, action_id: int, payload: UrgeIn) -> Status:
    action = _load(request, action_id)
    done = services.urge_owner(action, actor=request.user, note=payload.note)
    return Status(
        201,
        UrgeOut(
            action_id=action.pk,
            owner=str(action.owner),
            urged_by=str(request.user),
            urged_at=done.created_at,
        ),
    )
