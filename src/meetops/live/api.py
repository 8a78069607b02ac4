"""The room's API: live state, start/end of items, timings, support tickets, questions. Full paths; mounted at "/"."""

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from meetops.agenda.selectors import get_item
from meetops.core.schemas import DbId, Input
from meetops.core.web import AuthedRequest
from meetops.live import selectors, services
from meetops.live.clock import Board, ItemClock
from meetops.live.models import Question, SupportTicket
from meetops.live.permissions import can_run_console
from meetops.meetings.selectors import get_meeting_for_user

router = Router(tags=["live"])

CategoryCode = Literal["sound", "projection", "network", "power", "security", "other"]


class TimingOut(Schema):
    item_id: DbId
    title: str
    status: str
    planned_start: datetime
    planned_minutes: int
    actual_start: datetime | None
    actual_end: datetime | None
    start_delay_seconds: int | None
    elapsed_seconds: int
    paused_seconds: int
    overrun_seconds: int


class TimingsOut(Schema):
    meeting_id: DbId
    items: list[TimingOut]
    total_planned_minutes: int
    total_overrun_seconds: int
    overrun_items: int
    actual_start: datetime | None
    actual_end: datetime | None
    planned_end: datetime | None


class LiveOut(TimingsOut):
    state: str
    version: int
    warn_seconds: int
    current_item_id: DbId | None
    remaining_seconds: int | None
    phase: str
    drift_seconds: int
    projected_end: datetime | None


class VersionIn(Input):
    # Required: a move without it cannot tell a stale console from a fresh one, and two hosts
    # pressing "next" together would advance two items.
    expected_version: int = Field(
        ..., ge=0, description="The version you saw (`version` of the live state); 409 if it moved"
    )


class TicketIn(Input):
    category: CategoryCode
    room: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


class ResolveIn(Input):
    resolution: str = Field("", max_length=1000)


class TicketOut(Schema):
    id: int
    meeting_id: DbId
    category: str
    room: str
    note: str
    status: str
    reported_by_id: DbId | None
    reported_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    response_seconds: int | None
    resolution_seconds: int | None
    resolution: str


class QuestionIn(Input):
    text: str = Field(..., min_length=1, max_length=1000)
    anonymous: bool = False
    item_id: DbId | None = Field(None, ge=1, le=2**63 - 1)


class QuestionOut(Schema):
    id: int
    item_id: DbId | None
    text: str
    anonymous: bool
    author_id: DbId | None
    status: str
    votes: int
    created_at: datetime


def _timing(c: ItemClock) -> TimingOut:
    return TimingOut(
        item_id=c.item_id,
        title=c.slot.item.title,
        status=c.status,
        planned_start=c.slot.start,
        planned_minutes=c.planned_seconds // 60,
        actual_start=c.timing.started_at if c.timing else None,
        actual_end=c.timing.ended_at if c.timing else None,
        start_delay_seconds=c.start_delay_seconds,
        elapsed_seconds=c.elapsed_seconds,
        paused_seconds=c.timing.paused_seconds if c.timing else 0,
        overrun_seconds=c.overrun_seconds,
    )


def _timings(meeting_id: int, board: Board) -> TimingsOut:
    return TimingsOut(
        meeting_id=meeting_id,
        items=[_timing(c) for c in board.items],
        total_planned_minutes=sum(c.planned_seconds for c in board.items) // 60,
        total_overrun_seconds=board.total_overrun_seconds,
        overrun_items=board.overrun_items,
        actual_start=board.started_at,
        actual_end=board.ended_at,
        planned_end=board.planned_end,
    )


def _live(meeting_id: int, board: Board) -> LiveOut:
    current = board.current
    return LiveOut(
        **dict(_timings(meeting_id, board)),
        state=board.state,
        version=board.version,
        warn_seconds=board.warn_seconds,
        current_item_id=current.item_id if current else None,
        remaining_seconds=current.remaining_seconds if current else None,
        phase=board.phase,
        drift_seconds=board.drift_seconds,
        projected_end=board.projected_end,
    )


def _ticket(t: SupportTicket) -> TicketOut:
    return TicketOut(
        id=t.pk,
        meeting_id=t.meeting_id,
        category=t.category,
        room=t.room,
        note=t.note,
        status=t.status,
        reported_by_id=t.reported_by_id,
        reported_at=t.reported_at,
        acknowledged_at=t.acknowledged_at,
        resolved_at=t.resolved_at,
        response_seconds=t.response_seconds,
        resolution_seconds=t.resolution_seconds,
        resolution=t.resolution,
    )


def _question(q: Question, viewer_may_see_author: bool) -> QuestionOut:
    hidden = q.anonymous and not viewer_may_see_author
    return QuestionOut(
        id=q.pk,
        item_id=q.item_id,
        text=q.text,
        anonymous=q.anonymous,
        author_id=None if hidden else q.author_id,
        status=q.status,
        votes=getattr(q, "vote_count", 0),
        created_at=q.created_at,
    )


@router.get("/meetings/{int:meeting_id}/live", response=LiveOut, summary="Live state")
def live_state(request: AuthedRequest, meeting_id: int) -> LiveOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _live(meeting.pk, selectors.board_of(meeting))


@router.get("/meetings/{int:meeting_id}/timings", response=TimingsOut, summary="Planned vs actual")
def timings(request: AuthedRequest, meeting_id: int) -> TimingsOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _timings(meeting.pk, selectors.board_of(meeting))


@router.post(
    "/meetings/{int:meeting_id}/live/items/{int:item_id}/{action}",
    response=LiveOut,
    summary="Start or end an agenda item (action: start, end)",
)
def item_action(
    request: AuthedRequest,
    meeting_id: int,
    item_id: int,
    action: Literal["start", "end"],
    payload: VersionIn,
) -> LiveOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    item = get_item(meeting, item_id)
    if action == "start":
        services.start_item(
            meeting, item=item, actor=request.user, expected_version=payload.expected_version
        )
    else:
        services.end_item(
            meeting, item=item, actor=request.user, expected_version=payload.expected_version
        )
    return _live(meeting.pk, selectors.board_of(meeting))


@router.post(
    "/meetings/{int:meeting_id}/live/{action}",
    response=LiveOut,
    summary="Move the meeting (action: next, pause, resume, end)",
)
def live_action(
    request: AuthedRequest,
    meeting_id: int,
    action: Literal["next", "pause", "resume", "end"],
    payload: VersionIn,
) -> LiveOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    move = {
        "next": services.next_item,
        "pause": services.pause,
        "resume": services.resume,
        "end": services.end_meeting,
    }[action]
    move(meeting, actor=request.user, expected_version=payload.expected_version)
    return _live(meeting.pk, selectors.board_of(meeting, now=timezone.now()))


@router.get("/meetings/{int:meeting_id}/support-tickets", response=list[TicketOut])
def list_tickets(request: AuthedRequest, meeting_id: int) -> list[TicketOut]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return [_ticket(t) for t in selectors.tickets_of(meeting)]


@router.post("/meetings/{int:meeting_id}/support-tickets", response={201: TicketOut})
def report(request: AuthedRequest, meeting_id: int, payload: TicketIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id)
    ticket = services.report_problem(meeting, actor=request.user, **payload.dict())
    return Status(201, _ticket(ticket))


@router.post("/support-tickets/{int:ticket_id}/acknowledge", response=TicketOut)
def acknowledge(request: AuthedRequest, ticket_id: int) -> TicketOut:
    ticket = selectors.get_ticket_for_user(request.user, ticket_id)
    return _ticket(services.acknowledge_ticket(ticket, actor=request.user))


@router.post("/support-tickets/{int:ticket_id}/resolve", response=TicketOut)
def resolve(request: AuthedRequest, ticket_id: int, payload: ResolveIn) -> TicketOut:
    ticket = selectors.get_ticket_for_user(request.user, ticket_id)
    return _ticket(
        services.resolve_ticket(ticket, actor=request.user, resolution=payload.resolution)
    )


@router.get("/meetings/{int:meeting_id}/questions", response=list[QuestionOut])
def list_questions(request: AuthedRequest, meeting_id: int) -> list[QuestionOut]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    sees = can_run_console(request.user, meeting)
    return [
        _question(q, sees or q.author_id == request.user.pk)
        for q in selectors.questions_of(meeting)
    ]


@router.post("/meetings/{int:meeting_id}/questions", response={201: QuestionOut})
def ask(request: AuthedRequest, meeting_id: int, payload: QuestionIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id)
    item = get_item(meeting, payload.item_id) if payload.item_id else None
    question = services.ask_question(
        meeting, actor=request.user, text=payload.text, anonymous=payload.anonymous, item=item
    )
    return Status(201, _question(question, True))


@router.post("/questions/{int:question_id}/vote", response={201: QuestionOut})
def vote(request: AuthedRequest, question_id: int) -> Status:
    question = selectors.get_question_for_user(request.user, question_id)
    services.vote_question(question, actor=request.user)
    fresh = selectors.questions_of(question.meeting).get(pk=question.pk)
    return Status(201, _question(fresh, fresh.author_id == request.user.pk))


@router.post("/questions/{int:question_id}/answered", response=QuestionOut)
def answered(request: AuthedRequest, question_id: int) -> QuestionOut:
    question = selectors.get_question_for_user(request.user, question_id)
    services.mark_answered(question, actor=request.user)
    return _question(selectors.questions_of(question.meeting).get(pk=question.pk), True)
