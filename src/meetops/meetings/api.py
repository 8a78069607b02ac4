"""Meetings API: list, create, read, update, stage transitions (the steps: policy/api.py)."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from meetops.core.errors import ValidationFailed
from meetops.core.schemas import ApiDatetime, DbId, Input, Pagination
from meetops.core.web import AuthedRequest
from meetops.meetings import services
from meetops.meetings.models import Confidentiality, Format, Meeting, Stage
from meetops.meetings.selectors import get_meeting_for_user, meetings_visible_to, text_matches
from meetops.people.models import Department

router = Router(tags=["meetings"])

# Longer than any real title, far shorter than an abuse; the service says the real limit.
TITLE_FIELD = Field(..., max_length=services.MAX_TITLE)


class MeetingOut(Schema):
    id: int
    title: str
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    goals: str
    description: str
    department_id: DbId | None
    start: datetime
    end: datetime
    format: str
    online_url: str
    location: str
    confidentiality: str
    expected_attendance: int | None
    stage: str
    stage_changed_at: datetime | None
    process_version: int | None
    allowed_transitions: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_process_version(obj: Meeting) -> int | None:
        return (
            obj.process_version.version if obj.process_version_id and obj.process_version else None
        )

    @staticmethod
    def resolve_allowed_transitions(obj: Meeting) -> list[str]:
        return services.allowed_transitions(obj)


class MeetingIn(Input):
    title: str = TITLE_FIELD
    kind: str = Field("regular", max_length=40)
    start: ApiDatetime
    end: ApiDatetime
    goals: str = Field("", max_length=10000)
    description: str = Field("", max_length=50000)
    department_id: DbId | None = None
    format: Format = Format.ONSITE
    online_url: str = Field("", max_length=500)
    location: str = Field("", max_length=300)
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    expected_attendance: int | None = Field(None, ge=0, le=1_000_000)


class MeetingPatch(Input):
    title: str | None = Field(None, max_length=services.MAX_TITLE)
    kind: str | None = Field(None, max_length=40)
    start: ApiDatetime | None = None
    end: ApiDatetime | None = None
    goals: str | None = Field(None, max_length=10000)
    description: str | None = Field(None, max_length=50000)
    department_id: DbId | None = None
    format: Format | None = None
    online_url: str | None = Field(None, max_length=500)
    location: str | None = Field(None, max_length=300)
    confidentiality: Confidentiality | None = None
    expected_attendance: int | None = Field(None, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _only_optional_fields_may_be_null(self) -> "MeetingPatch":
        # `null` clears a department or the expected attendance; other fields cannot be empty.
        nulls = sorted(
            name
            for name in self.model_fields_set
            if getattr(self, name) is None and name not in ("department_id", "expected_attendance")
        )
        if nulls:
            raise ValueError(f"these fields cannot be null: {', '.join(nulls)}")
        return self


class MeetingFilter(Input):
    stage: Stage | None = None
    kind: str | None = Field(None, max_length=40)
    q: str | None = Field(None, max_length=200)
    start_after: ApiDatetime | None = None
    start_before: ApiDatetime | None = None


def _fields_from(data: dict[str, Any]) -> dict[str, Any]:
    """API names → service fields (kind code → kind, department_id → department)."""
    fields = dict(data)
    if "kind" in fields:
        fields["kind"] = services.resolve_kind(str(fields["kind"]))
    if "department_id" in fields:
        dept_id = fields.pop("department_id")
        fields["department"] = Department.objects.filter(pk=dept_id).first() if dept_id else None
        if dept_id and fields["department"] is None:
            from django.utils.translation import gettext as _

            raise ValidationFailed(
                _("Unknown department."), "unknown_department", field="department_id"
            )
    for key in ("format", "confidentiality"):
        if fields.get(key) is not None:
            fields[key] = str(getattr(fields[key], "value", fields[key]))
    return fields


@router.get("", response=list[MeetingOut], summary="Meetings the caller may see")
@paginate(Pagination)
def list_meetings(request: AuthedRequest, filters: Query[MeetingFilter]) -> QuerySet[Meeting]:
    qs = meetings_visible_to(request.user).select_related("process_version")
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.kind:
        qs = qs.filter(kind__code=filters.kind)
    qs = text_matches(qs, filters.q)
    if filters.start_after:
        qs = qs.filter(start__gte=filters.start_after)
    if filters.start_before:
        qs = qs.filter(start__lt=filters.start_before)
    return qs.order_by("-start", "-id")


@router.post("", response={201: MeetingOut}, summary="Create a draft meeting")
def create_meeting(request: AuthedRequest, payload: MeetingIn) -> Status:
    fields = _fields_from(payload.dict())
    meeting = services.create_meeting(actor=request.user, **fields)
    return Status(201, meeting)


@router.get("/{int:meeting_id}", response=MeetingOut)
def read_meeting(request: AuthedRequest, meeting_id: int) -> Meeting:
    return get_meeting_for_user(request.user, meeting_id)


@router.patch("/{int:meeting_id}", response=MeetingOut, summary="Change some fields")
def update_meeting(request: AuthedRequest, meeting_id: int, payload: MeetingPatch) -> Meeting:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    fields = _fields_from(payload.dict(exclude_unset=True))
    meeting = services.update_meeting(meeting, actor=request.user, **fields)
    return meeting


class TransitionIn(Input):
    to: str = Field(..., max_length=30)
    override_reason: str = Field("", max_length=2000)


@router.post("/{int:meeting_id}/transitions", response=MeetingOut, summary="Move to another stage")
def transition(request: AuthedRequest, meeting_id: int, payload: TransitionIn) -> Meeting:
    meeting = get_meeting_for_user(request.user, meeting_id)
    meeting = services.transition_meeting(
        meeting,
        to=payload.to,
        actor=request.user,
        override_reason=payload.override_reason,
    )
    return meeting
