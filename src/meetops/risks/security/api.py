"""The security plan's API (P3.7): read, write, submit, decide; the door check; a security
incident recorded as a risk event. Errors leave in the one shape (config/api.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import MAX_DB_ID, ApiDatetime, DbId, Input
from meetops.core.web import AuthedRequest
from meetops.live.selectors import get_ticket_for_user
from meetops.meetings.models import Meeting, Participant
from meetops.meetings.selectors import get_meeting_for_user
from meetops.risks.api import EventOut, LevelCode, _event_out
from meetops.risks.models import SecurityPlan
from meetops.risks.permissions import can_read_security
from meetops.risks.security import selectors, services

router = Router(tags=["risks"])

AccessCode = Literal["normal", "vip", "press"]
ColourCode = Literal["red", "blue", "green", "yellow", "white"]


class PostOut(Schema):
    id: int
    place: str
    duty: str
    start: datetime
    end: datetime
    guard_ids: list[DbId] = Field(description="Participants of the meeting holding the post")


class DoorEntryOut(Schema):
    id: int
    name: str
    organisation: str
    kind: AccessCode
    badge_colour: ColourCode
    participant_id: DbId | None


class SecurityPlanOut(Schema):
    meeting_id: DbId
    status: str
    entry_checks: str
    restricted_areas: str
    evacuation: str = Field(description="From the emergency plan; read-only here")
    posts: list[PostOut]
    door_list: list[DoorEntryOut]
    decision_note: str
    submitted_at: datetime | None
    decided_at: datetime | None
    decided_by_id: DbId | None
    ready: bool = Field(description="Approved and every post has a guard (step P3.7)")


class PostIn(Input):
    id: DbId | None = Field(None, description="The post this edits; none: a new post")
    place: str = Field(..., max_length=200)
    duty: str = Field(..., max_length=500)
    start: ApiDatetime
    end: ApiDatetime
    guard_ids: list[DbId] = Field(default_factory=list, max_length=200)


class DoorEntryIn(Input):
    id: DbId | None = Field(None, description="The line this edits; none: a new line")
    name: str = Field(..., max_length=150)
    organisation: str = Field("", max_length=200)
    kind: AccessCode = "normal"
    badge_colour: ColourCode | Literal[""] = Field("", description="Empty: by kind")
    participant_id: DbId | None = None


class SecurityPlanIn(Input):
    entry_checks: str = Field("", max_length=5000)
    restricted_areas: str = Field("", max_length=5000)
    posts: list[PostIn] = Field(default_factory=list, max_length=500)
    door_list: list[DoorEntryIn] = Field(default_factory=list, max_length=5000)


class SecurityPlanDecisionIn(Input):
    approve: bool
    note: str = Field("", max_length=2000, description="Required when returning")


class DoorCheckOut(Schema):
    checked: bool = Field(description="False when the meeting has no approved door list")
    listed: bool
    kind: AccessCode | None
    badge_colour: ColourCode | None


class IncidentIn(Input):
    level: LevelCode


def _plan_out(meeting: Meeting, plan: SecurityPlan) -> SecurityPlanOut:
    return SecurityPlanOut(
        meeting_id=meeting.pk,
        status=plan.status,
        entry_checks=plan.entry_checks,
        restricted_areas=plan.restricted_areas,
        evacuation=selectors.evacuation_routes(meeting),
        posts=[
            PostOut(
                id=p.pk,
                place=p.place,
                duty=p.duty,
                start=p.start,
                end=p.end,
                guard_ids=[g.pk for g in p.guards.all()],
            )
            for p in selectors.posts_of(plan)
        ],
        door_list=[
            DoorEntryOut.model_validate(e, from_attributes=True)
            for e in selectors.door_list_of(plan)
        ],
        decision_note=plan.decision_note,
        submitted_at=plan.submitted_at,
        decided_at=plan.decided_at,
        decided_by_id=plan.decided_by_id,
        ready=selectors.security_ready(meeting),
    )


def _readable(request: AuthedRequest, meeting_id: int) -> Meeting:
    """404 for those who may not see the meeting, 403 for those who may not read the plan."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    if not can_read_security(request.user, meeting):
        raise PermissionDenied()
    return meeting


def _fresh(meeting: Meeting) -> SecurityPlanOut:
    return _plan_out(meeting, selectors.security_plan_of(meeting))


@router.get(
    "/meetings/{int:meeting_id}/security-plan",
    response=SecurityPlanOut,
    summary="Security plan (P3.7)",
)
def read_security_plan(request: AuthedRequest, meeting_id: int) -> SecurityPlanOut:
    """Without a saved plan: an empty draft."""
    return _fresh(_readable(request, meeting_id))


@router.put(
    "/meetings/{int:meeting_id}/security-plan",
    response=SecurityPlanOut,
    summary="Write the security plan (posts and door list become the lists given)",
)
def write_security_plan(
    request: AuthedRequest, meeting_id: int, payload: SecurityPlanIn
) -> SecurityPlanOut:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    services.save_security_plan(
        meeting,
        actor=request.user,
        entry_checks=payload.entry_checks,
        restricted_areas=payload.restricted_areas,
        posts=[p.dict() for p in payload.posts],
        door_list=[e.dict() for e in payload.door_list],
    )
    return _fresh(meeting)


@router.post(
    "/meetings/{int:meeting_id}/security-plan/submit",
    response=SecurityPlanOut,
    summary="Submit the security plan for approval",
)
def submit_security_plan(request: AuthedRequest, meeting_id: int) -> SecurityPlanOut:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    services.submit_security_plan(meeting, actor=request.user)
    return _fresh(meeting)


@router.post(
    "/meetings/{int:meeting_id}/security-plan/decide",
    response=SecurityPlanOut,
    summary="Approve or return the submitted security plan (the emergency plan's approvers)",
)
def decide_security_plan(
    request: AuthedRequest, meeting_id: int, payload: SecurityPlanDecisionIn
) -> SecurityPlanOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    services.decide_security_plan(
        meeting, actor=request.user, approve=payload.approve, note=payload.note
    )
    return _fresh(meeting)


@router.get(
    "/meetings/{int:meeting_id}/participants/{int:participant_id}/door-check",
    response=DoorCheckOut,
    summary="Whether a person is on the approved door list (the desk flags, never refuses)",
)
def door_check(request: AuthedRequest, meeting_id: int, participant_id: int) -> DoorCheckOut:
    meeting = _readable(request, meeting_id)
    participant = (
        Participant.objects.filter(pk=participant_id, meeting=meeting).first()
        if 0 < participant_id <= MAX_DB_ID
        else None
    )
    if participant is None:
        raise NotFound()
    check = selectors.door_check(meeting, participant)
    entry = check.entry if check else None
    return DoorCheckOut.model_validate(
        {
            "checked": check is not None,
            "listed": bool(check and check.listed),
            "kind": entry.kind if entry else None,
            "badge_colour": entry.badge_colour if entry else None,
        }
    )


@router.post(
    "/support-tickets/{int:ticket_id}/risk-event",
    response={201: EventOut},
    summary="Record a security incident reported in the room as a risk event (once)",
)
def record_incident(request: AuthedRequest, ticket_id: int, payload: IncidentIn) -> Status:
    ticket = get_ticket_for_user(request.user, ticket_id)
    event = services.record_incident(ticket, actor=request.user, level=payload.level)
    return Status(201, _event_out(event))
