"""Seating API: the plan with its seats and who sits where; full replace by PUT; protocol auto-assignment.

Full paths, mounted at "/": /meetings/{id}/seating, /meetings/{id}/seating/auto-assign,
/meetings/{id}/seating/assignments.
"""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from meetops.core.errors import NotFound, ValidationFailed
from meetops.core.schemas import DbId, Input
from meetops.core.web import AuthedRequest
from meetops.meetings.models import Meeting, Participant
from meetops.meetings.selectors import get_meeting_for_user
from meetops.seating import selectors, services
from meetops.seating.models import (
    MAX_COLUMNS,
    MAX_ROSTRUM_ROWS,
    MAX_ROSTRUM_SEATS,
    MAX_ROWS,
    Seat,
    SeatPlan,
)
from meetops.seating.permissions import can_arrange_seating

router = Router(tags=["seating"])

SectionCode = Literal["rostrum", "audience"]
KindCode = Literal["seat", "aisle", "blocked"]


class SeatOut(Schema):
    id: int
    section: str
    row: int
    col: int
    number: int | None
    kind: str
    reserved: bool
    note: str
    label: str
    participant_id: DbId | None
    participant_name: str


class SeatPlanOut(Schema):
    id: int
    meeting_id: DbId
    room_id: DbId | None
    name: str
    rostrum_rows: int
    rostrum_seats: int
    rows: int
    columns: int
    aisle_columns: list[int]
    precedence: list[int]
    seats: list[SeatOut]
    unseated: list[int] = Field(
        ..., description="Participants to seat who have no seat in any plan"
    )


class SeatingOut(Schema):
    meeting_id: DbId
    can_arrange: bool
    plans: list[SeatPlanOut]


class CellIn(Input):
    section: SectionCode
    row: int = Field(..., ge=1, le=MAX_ROWS)
    col: int = Field(..., ge=1, le=MAX_COLUMNS)
    kind: KindCode = "seat"
    reserved: bool = False
    note: str = Field("", max_length=100)


class AssignmentIn(Input):
    participant_id: DbId
    seat_id: DbId


class SeatPlanIn(Input):
    plan_id: DbId | None = Field(
        None, description="Which plan; empty: the meeting's only plan, or a new one"
    )
    room_id: DbId | None = Field(None, description="For a new plan: the booked room")
    name: str = Field("", max_length=200)
    rostrum_rows: int = Field(1, ge=0, le=MAX_ROSTRUM_ROWS)
    rostrum_seats: int = Field(5, ge=0, le=MAX_ROSTRUM_SEATS)
    rows: int = Field(..., ge=1, le=MAX_ROWS)
    columns: int = Field(..., ge=1, le=MAX_COLUMNS)
    aisle_columns: list[int] = Field(default_factory=list, max_length=MAX_COLUMNS)
    cells: list[CellIn] = Field(default_factory=list, max_length=MAX_ROWS * MAX_COLUMNS)
    precedence: list[DbId] | None = Field(None, max_length=1000)
    assignments: list[AssignmentIn] | None = Field(
        None, max_length=5000, description="Given: the plan's whole seating (all as placed by hand)"
    )


class AutoIn(Input):
    plan_id: DbId | None = None
    keep_manual: bool = True
    notify: bool = False


class SeatPersonOut(Schema):
    id: int
    name: str


class AutoOut(Schema):
    assigned: int
    kept: int
    unseated: list[SeatPersonOut]
    plan: SeatPlanOut


class AssignIn(Input):
    plan_id: DbId | None = None
    participant_id: DbId
    seat_id: DbId
    notify: bool = False


class AssignOut(Schema):
    plan_id: DbId
    participant_id: DbId
    seat_id: DbId
    label: str


def _plan_out(plan: SeatPlan) -> SeatPlanOut:
    grid = selectors.grid_of(plan)
    cells = [c for row in grid.rostrum + grid.audience for c in row]
    return SeatPlanOut(
        id=plan.pk,
        meeting_id=plan.meeting_id,
        room_id=plan.room_id,
        name=plan.name,
        rostrum_rows=plan.rostrum_rows,
        rostrum_seats=plan.rostrum_seats,
        rows=plan.rows,
        columns=plan.columns,
        aisle_columns=list(plan.aisle_columns),
        precedence=list(plan.precedence),
        seats=[
            SeatOut(
                id=c.seat.pk,
                section=c.seat.section,
                row=c.seat.row,
                col=c.seat.col,
                number=c.seat.number,
                kind=c.seat.kind,
                reserved=c.seat.reserved,
                note=c.seat.note,
                label=c.seat.label,
                participant_id=c.assignment.participant_id if c.assignment else None,
                participant_name=c.assignment.participant.display_name if c.assignment else "",
            )
            for c in cells
        ],
        unseated=[p.pk for p in grid.unseated],
    )


def _pick(meeting: Meeting, plan_id: int | None) -> SeatPlan | None:
    """The plan asked for; without an id the meeting's only plan (None if it has none)."""
    plans = list(selectors.plans_of(meeting))
    if plan_id is not None:
        plan = next((p for p in plans if p.pk == plan_id), None)
        if plan is None:
            raise NotFound()
    elif len(plans) > 1:
        raise ValidationFailed(
            _("This meeting has several seat plans: name one with plan_id."), "plan_required"
        )
    else:
        plan = plans[0] if plans else None
    if plan is not None:
        plan.meeting = meeting
    return plan


@router.get("/meetings/{int:meeting_id}/seating", response=SeatingOut, summary="Seat plans")
def read_seating(request: AuthedRequest, meeting_id: int) -> SeatingOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    plans = []
    for plan in selectors.plans_of(meeting):
        plan.meeting = meeting
        plans.append(_plan_out(plan))
    return SeatingOut(
        meeting_id=meeting.pk,
        can_arrange=can_arrange_seating(request.user, meeting),
        plans=plans,
    )


@router.put("/meetings/{int:meeting_id}/seating", response=SeatPlanOut, summary="Write a seat plan")
def write_seating(request: AuthedRequest, meeting_id: int, payload: SeatPlanIn) -> SeatPlanOut:
    """Creates the plan if needed; sets its grid and special cells; with `precedence`
    sets the rostrum order; with `assignments` replaces who sits where."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    actor = request.user
    size = services.GridSize(
        payload.rostrum_rows,
        payload.rostrum_seats,
        payload.rows,
        payload.columns,
        tuple(payload.aisle_columns),
    )
    cells = [services.CellSpec(**c.dict()) for c in payload.cells]
    plan = _pick(meeting, payload.plan_id)
    created = plan is None
    if plan is None:
        room = None
        if payload.room_id is not None:
            room = selectors.booked_rooms(meeting).filter(pk=payload.room_id).first()
            if room is None:
                raise NotFound()
        plan = services.create_plan(meeting, actor=actor, room=room, name=payload.name, size=size)
    if not created or cells:
        plan = services.update_layout(plan, actor=actor, size=size, name=payload.name, cells=cells)
    if payload.precedence is not None:
        plan = services.set_precedence(plan, actor=actor, participant_ids=payload.precedence)
    if payload.assignments is not None:
        services.replace_assignments(
            plan, actor=actor, pairs=[(a.participant_id, a.seat_id) for a in payload.assignments]
        )
    return _plan_out(plan)


@router.post(
    "/meetings/{int:meeting_id}/seating/auto-assign",
    response=AutoOut,
    summary="Seat everyone by protocol order",
)
def auto_assign(request: AuthedRequest, meeting_id: int, payload: AutoIn) -> AutoOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    plan = _pick(meeting, payload.plan_id)
    if plan is None:
        plan = services.create_plan(meeting, actor=request.user)
    result = services.auto_assign(
        plan, actor=request.user, keep_manual=payload.keep_manual, notify_people=payload.notify
    )
    return AutoOut(
        assigned=result.assigned,
        kept=result.kept,
        unseated=[SeatPersonOut(id=p.pk, name=p.display_name) for p in result.unseated],
        plan=_plan_out(plan),
    )


@router.post(
    "/meetings/{int:meeting_id}/seating/assignments",
    response={201: AssignOut},
    summary="Put one person on one seat",
)
def assign(request: AuthedRequest, meeting_id: int, payload: AssignIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id)
    plan = _pick(meeting, payload.plan_id)
    if plan is None:
        raise NotFound()
    seat = Seat.objects.filter(plan=plan, pk=payload.seat_id).first()
    person = Participant.objects.filter(meeting=meeting, pk=payload.participant_id).first()
    if seat is None or person is None:
        raise NotFound()
    made = services.assign_seat(
        plan, actor=request.user, seat=seat, participant=person, notify_person=payload.notify
    )
    return Status(
        201,
        AssignOut(
            plan_id=plan.pk,
            participant_id=person.pk,
            seat_id=made.seat_id,
            label=made.seat.label,
        ),
    )
