"""What filing a meeting takes from policy for the archive (P4.1): the files attached to the process steps."""

from __future__ import annotations

from collections.abc import Iterator

from meetops.core.archive import Found, file_ext, read_field
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.policy.models import in_process_order


def step_attachments(meeting: Meeting, actor: User) -> Iterator[Found]:
    for step in in_process_order(meeting.steps.exclude(attachment="")):
        field = step.attachment
        yield Found(
            f"policy.step:{step.pk}",
            "other",
            f"{step.clause} {step.title}",
            file_ext(field.name),
            lambda field=field: read_field(field),  # type: ignore[misc]
        )
