from __future__ import annotations

from django.db.models import QuerySet

from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings.models import Meeting
from meetops.policy.models import MeetingStep


def steps_of(meeting: Meeting) -> QuerySet[MeetingStep]:
    return meeting.steps.select_related("completed_by").order_by("order", "id")


def get_step(meeting: Meeting, step_id: int) -> MeetingStep:
    if not 0 < step_id <= MAX_DB_ID:
        raise NotFound()
    step = meeting.steps.select_related("meeting").filter(pk=step_id).first()
    if step is None:
        raise NotFound()
    return step
