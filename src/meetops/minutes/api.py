"""Minutes and action items API: /meetings/{id}/minutes (+ submit, approve, return, publish, reopen),
/meetings/{id}/actions and /actions. Mounted at "/" with full paths."""

from datetime import date, datetime
from typing import Any, TypedDict, TypeVar

from django.db.models import Model, QuerySet, Value
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from meetops.core.errors import NotFound, PermissionDenied, ValidationFailed
from meetops.core.schemas import DbId, Input, Pagination
from meetops.core.validation import SaneDate
from meetops.core.web import AuthedRequest
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_view_meeting
from meetops.meetings.selectors import MeetingTitle, get_meeting_for_user
from meetops.minutes import errors, services
from meetops.minutes.attendance import attendance_of
from meetops.minutes.decisions import REVIEW
from meetops.minutes.models import ActionItem, ActionState, Decision, Minutes
from meetops.minutes.permissions import (
    can_edit_now,
    can_manage_actions,
    can_publish_minutes,
    can_read_draft,
    can_write_minutes,
)
from meetops.minutes.selectors import (
    MinutesDocument,
    actions_of,
    actions_visible_to,
    document_of,
    get_action_for_user,
)
from meetops.people.models import Department, User

router = Router(tags=["minutes"])


class DecisionIO(Input):
    text: str = Field("", max_length=100000)
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None


class DecisionOut(DecisionIO):
    id: int | None


class SectionIn(Input):
    agenda_item_id: DbId | None = None
    title: str = Field("", max_length=2000)
    notes: str = Field("", max_length=100000)
    decisions: list[DecisionIO] = Field([], max_length=1000)


class SectionOut(Schema):
    id: int | None
    agenda_item_id: DbId | None
    title: str
    notes: str
    decisions: list[DecisionOut]


class AttendanceOut(Schema):
    expected: int
    required: int
    present: int | None
    absent: int | None


class MinutesPermissions(Schema):
    can_edit: bool
    can_review: bool
    can_publish: bool


class MinutesOut(Schema):
    meeting_id: DbId
    state: str
    revision: int
    notes: str
    summary: str
    action_plan: str
    return_comment: str
    sections: list[SectionOut]
    attendance: AttendanceOut
    approved_by: str | None
    approved_at: datetime | None
    published_at: datetime | None
    permissions: MinutesPermissions


class MinutesIn(Input):
    revision: int | None = Field(
        None, description="The revision you read; a mismatch is 409 minutes_changed"
    )
    notes: str = Field("", max_length=100000)
    summary: str = Field("", max_length=100000, description="The host's closing summary (P3.10)")
    action_plan: str = Field("", max_length=100000)
    sections: list[SectionIn] = Field([], max_length=1000)


class CommentIn(Input):
    comment: str = Field("", max_length=50000)


class ReasonIn(Input):
    reason: str = Field("", max_length=50000)


class ActionOut(Schema):
    id: int
    meeting_id: DbId
    meeting_title: str
    decision_id: DbId | None
    title: str
    description: str
    owner_id: DbId | None
    owner: str | None
    department_id: DbId | None
    department: str | None
    due_date: date | None
    state: str
    completion_note: str
    completed_at: datetime | None

    @staticmethod
    def resolve_meeting_title(obj: ActionItem, context: dict[str, Any] | None) -> str:
        """The title only for who may see the meeting (an owner may not: issue 14, #6)."""
        visible = getattr(obj, "meeting_visible", None)
        if visible is None:  # a row from a list not annotated: ask for the reader
            request = (context or {}).get("request")
            visible = request is not None and can_view_meeting(request.user, obj.meeting)
        return str(MeetingTitle.read(obj.meeting.title, visible=bool(visible)))

    @staticmethod
    def resolve_owner(obj: ActionItem) -> str | None:
        return str(obj.owner) if obj.owner else None

    @staticmethod
    def resolve_department(obj: ActionItem) -> str | None:
        return obj.department.name if obj.department else None


class ActionIn(Input):
    title: str = Field(..., max_length=2000)
    description: str = Field("", max_length=100000)
    owner_id: DbId | None = None
    department_id: DbId | None = None
    due_date: SaneDate | None = None
    decision_id: DbId | None = None


class ActionPatch(Input):
    title: str | None = Field(None, max_length=2000)
    description: str | None = Field(None, max_length=100000)
    owner_id: DbId | None = None
    department_id: DbId | None = None
    due_date: SaneDate | None = None
    decision_id: DbId | None = None
    state: str | None = Field(None, max_length=20)
    completion_note: str | None = Field(None, max_length=100000)


class ActionFilter(Input):
    mine: bool = False
    state: str = Field("", max_length=20)


def _minutes_out(doc: MinutesDocument, user: User) -> MinutesOut:
    meeting, minutes = doc.meeting, doc.minutes
    editable = can_edit_now(user, minutes) if minutes else can_write_minutes(user, meeting)
    return MinutesOut(
        meeting_id=meeting.pk,
        state=doc.state,
        revision=doc.revision,
        notes=doc.notes,
        summary=doc.summary,
        action_plan=doc.action_plan,
        return_comment=minutes.return_comment if minutes else "",
        sections=[
            SectionOut(
                id=s.id,
                agenda_item_id=s.agenda_item_id,
                title=s.title,
                notes=s.notes,
                decisions=[DecisionOut(id=d.id, **d.as_dict()) for d in s.decisions],
            )
            for s in doc.sections
        ],
        attendance=AttendanceOut(**attendance_of(meeting).__dict__),
        approved_by=str(minutes.approved_by) if minutes and minutes.approved_by else None,
        approved_at=minutes.approved_at if minutes else None,
        published_at=minutes.published_at if minutes else None,
        permissions=MinutesPermissions(
            can_edit=editable,
            # The flow's answer, as on the page: never the person who submitted them.
            can_review=minutes is not None and REVIEW.can_decide(user, minutes),
            can_publish=can_publish_minutes(user, meeting),
        ),
    )


def _readable(request: AuthedRequest, meeting_id: int) -> tuple[Meeting, MinutesDocument]:
    """404 unless the meeting is visible and the minutes published, or the user writes/reviews them."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    draft_reader = can_read_draft(request.user, meeting)
    doc = document_of(meeting, for_editing=draft_reader)
    if not draft_reader and (doc.minutes is None or doc.state != "published"):
        raise errors.not_published()
    return meeting, doc


def _existing(request: AuthedRequest, meeting_id: int) -> Minutes:
    """The saved minutes for a state move: 404 for outsiders, 403 for readers who may not act."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    if not can_read_draft(request.user, meeting):
        raise PermissionDenied()
    minutes = Minutes.objects.filter(meeting=meeting).select_related("meeting").first()
    if minutes is None:
        raise NotFound(code="minutes_not_found")
    minutes.meeting = meeting
    return minutes


@router.get(
    "/meetings/{int:meeting_id}/minutes",
    response=MinutesOut,
    summary="The minutes (drafts: writers and reviewers only)",
)
def read_minutes(request: AuthedRequest, meeting_id: int) -> MinutesOut:
    _meeting, doc = _readable(request, meeting_id)
    return _minutes_out(doc, request.user)


@router.put(
    "/meetings/{int:meeting_id}/minutes", response=MinutesOut, summary="Replace the minutes' text"
)
def write_minutes(request: AuthedRequest, meeting_id: int, payload: MinutesIn) -> MinutesOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    if not can_read_draft(request.user, meeting):
        raise PermissionDenied()
    services.save_minutes(
        meeting,
        actor=request.user,
        sections=[s.dict() for s in payload.sections],
        notes=payload.notes,
        summary=payload.summary,
        action_plan=payload.action_plan,
        revision=payload.revision,
    )
    return _minutes_out(document_of(meeting, for_editing=True), request.user)


def _after_move(request: AuthedRequest, minutes: Minutes) -> MinutesOut:
    return _minutes_out(document_of(minutes.meeting), request.user)


@router.post(
    "/meetings/{int:meeting_id}/minutes/submit",
    response=MinutesOut,
    summary="Submit for the host's review",
)
def submit(request: AuthedRequest, meeting_id: int) -> MinutesOut:
    minutes = services.submit_minutes(_existing(request, meeting_id), actor=request.user)
    return _after_move(request, minutes)


@router.post(
    "/meetings/{int:meeting_id}/minutes/approve", response=MinutesOut, summary="Approve (the host)"
)
def approve(request: AuthedRequest, meeting_id: int, confirm_unheld: bool = False) -> MinutesOut:
    minutes = services.approve_minutes(
        _existing(request, meeting_id), actor=request.user, confirm_unheld=confirm_unheld
    )
    return _after_move(request, minutes)


@router.post(
    "/meetings/{int:meeting_id}/minutes/return",
    response=MinutesOut,
    summary="Return to the writer with a comment",
)
def return_(request: AuthedRequest, meeting_id: int, payload: CommentIn) -> MinutesOut:
    minutes = services.return_minutes(
        _existing(request, meeting_id),
        actor=request.user,
        comment=payload.comment,
    )
    return _after_move(request, minutes)


@router.post(
    "/meetings/{int:meeting_id}/minutes/publish",
    response=MinutesOut,
    summary="Publish to the participants",
)
def publish(request: AuthedRequest, meeting_id: int, confirm_unheld: bool = False) -> MinutesOut:
    minutes = services.publish_minutes(
        _existing(request, meeting_id), actor=request.user, confirm_unheld=confirm_unheld
    )
    return _after_move(request, minutes)


@router.post(
    "/meetings/{int:meeting_id}/minutes/reopen",
    response=MinutesOut,
    summary="Open approved minutes as a new revision (reason required)",
)
def reopen(request: AuthedRequest, meeting_id: int, payload: ReasonIn) -> MinutesOut:
    minutes = services.reopen_minutes(
        _existing(request, meeting_id),
        actor=request.user,
        reason=payload.reason,
    )
    return _after_move(request, minutes)


# --- action items -------------------------------------------------------------


def action_out(action: ActionItem, viewer: User) -> ActionOut:
    action.meeting_visible = can_view_meeting(viewer, action.meeting)  # type: ignore[attr-defined]
    return ActionOut.from_orm(action)


class _Refs(TypedDict, total=False):
    owner: User | None
    department: Department | None
    decision: Decision | None


_M = TypeVar("_M", bound=Model)


def _refs(payload: Schema, meeting: Meeting) -> _Refs:
    """Foreign keys named in the payload, fetched; unknown ids are 422 with the field."""
    data = payload.dict(exclude_unset=True)
    out: _Refs = {}
    if "owner_id" in data:
        out["owner"] = _ref(User.objects.filter(is_active=True), data, "owner_id")
    if "department_id" in data:
        out["department"] = _ref(Department.objects.all(), data, "department_id")
    if "decision_id" in data:
        decisions = Decision.objects.select_related("section__minutes")
        out["decision"] = _ref(decisions, data, "decision_id")
    return out


def _ref(qs: QuerySet[_M], data: dict[str, Any], key: str) -> _M | None:
    if data[key] is None:
        return None
    found = qs.filter(pk=data[key]).first()
    if found is None:
        raise ValidationFailed(_unknown(), "unknown_reference", field=key)
    return found


def _unknown() -> str:
    from django.utils.translation import gettext

    return gettext("Unknown reference.")


@router.get(
    "/meetings/{int:meeting_id}/actions",
    response=list[ActionOut],
    summary="The meeting's action items",
)
@paginate(Pagination)
def list_meeting_actions(request: AuthedRequest, meeting_id: int) -> QuerySet[ActionItem]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    # The reader may see this meeting (the loader said so): its title is theirs to read.
    return actions_of(meeting).annotate(meeting_visible=Value(True))


@router.post(
    "/meetings/{int:meeting_id}/actions", response={201: ActionOut}, summary="Add an action item"
)
def create_meeting_action(request: AuthedRequest, meeting_id: int, payload: ActionIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id)
    if not can_manage_actions(request.user, meeting):
        raise PermissionDenied()
    refs = _refs(payload, meeting)
    action = services.create_action(
        meeting,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        due_date=payload.due_date,
        **refs,
    )
    return Status(201, action_out(action, request.user))


@router.get(
    "/actions",
    response=list[ActionOut],
    summary="Action items: mine (?mine=1) or of my meetings, by state",
)
@paginate(Pagination)
def list_actions(request: AuthedRequest, filters: Query[ActionFilter]) -> QuerySet[ActionItem]:
    if filters.state and filters.state not in ActionState.values:
        raise ValidationFailed(_unknown(), "unknown_state", field="state")
    return actions_visible_to(request.user, mine=filters.mine, state=filters.state)


@router.patch(
    "/actions/{int:action_id}",
    response=ActionOut,
    summary="Change an action item (owners: state and note)",
)
def patch_action(request: AuthedRequest, action_id: int, payload: ActionPatch) -> ActionOut:
    action = get_action_for_user(request.user, action_id)
    fields: dict[str, object] = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if not k.endswith("_id")
    }
    fields.update(_refs(payload, action.meeting))
    updated = services.update_action(action, actor=request.user, **fields)
    return action_out(updated, request.user)
