"""The process steps of a meeting over the API, under /api/v1/meetings/{id}/steps.

Mounted beside the meetings router (same prefix and tag); the operation ids are the ones
these endpoints had when meetings served them, which API clients may rely on.
"""

from datetime import datetime

from ninja import Field, Router, Schema

from meetops.core.schemas import Input
from meetops.core.web import AuthedRequest
from meetops.meetings.selectors import get_meeting_for_user
from meetops.policy import services as process
from meetops.policy.models import MeetingStep
from meetops.policy.selectors import get_step, steps_of

router = Router(tags=["meetings"])


class StepOut(Schema):
    id: int
    clause: str
    title: str
    stage: str
    required: bool
    status: str
    owner_role: str
    completion: str
    rule: str
    note: str
    completed_by: str | None
    completed_at: datetime | None


class StepList(Schema):
    items: list[StepOut]


class StepCompleteIn(Input):
    note: str = Field("", max_length=5000)


class StepWaiveIn(Input):
    reason: str = Field(..., max_length=5000)


def _step_out(step: MeetingStep) -> StepOut:
    return StepOut(
        id=step.pk,
        clause=step.clause,
        title=step.title,
        stage=step.stage,
        required=step.required,
        status=process.effective_status(step),
        owner_role=step.owner_role,
        completion=step.completion,
        rule=step.rule,
        note=step.note,
        completed_by=step.completed_by.username if step.completed_by else None,
        completed_at=step.completed_at,
    )


@router.get(
    "/{int:meeting_id}/steps",
    response=StepList,
    summary="The meeting's process steps",
    operation_id="meetops_meetings_api_list_steps",
)
def list_steps(request: AuthedRequest, meeting_id: int) -> StepList:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return StepList(items=[_step_out(s) for s in steps_of(meeting)])


@router.post(
    "/{int:meeting_id}/steps/{int:step_id}/complete",
    response=StepOut,
    summary="Sign a step off",
    operation_id="meetops_meetings_api_complete_step",
)
def complete_step(
    request: AuthedRequest, meeting_id: int, step_id: int, payload: StepCompleteIn
) -> StepOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    step = process.complete_step(get_step(meeting, step_id), actor=request.user, note=payload.note)
    return _step_out(step)


@router.post(
    "/{int:meeting_id}/steps/{int:step_id}/waive",
    response=StepOut,
    summary="Mark a step not applicable",
    operation_id="meetops_meetings_api_waive_step",
)
def waive_step(
    request: AuthedRequest, meeting_id: int, step_id: int, payload: StepWaiveIn
) -> StepOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    step = process.waive_step(get_step(meeting, step_id), actor=request.user, reason=payload.reason)
    return _step_out(step)
