"""The one home of "the meeting is frozen" (and of "the meeting is over" for room booking)."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.errors import DomainError
from meetops.meetings import services
from meetops.meetings.models import FROZEN_STAGES, OVER_STAGES, Meeting, Stage, frozen_q


def test_closed_and_cancelled_are_frozen_and_nothing_else() -> None:
    assert {Stage(s) for s in FROZEN_STAGES} == {Stage.CLOSED, Stage.CANCELLED}
    for stage in Stage:
        assert Meeting(stage=stage).is_frozen is (stage in (Stage.CLOSED, Stage.CANCELLED))


def test_a_held_meeting_is_over_but_not_frozen() -> None:
    assert {Stage(s) for s in OVER_STAGES} == {
        Stage.CONCLUDED,
        Stage.FOLLOWING_UP,
        Stage.CLOSED,
        Stage.CANCELLED,
    }
    concluded = Meeting(stage=Stage.CONCLUDED)
    assert concluded.is_over and not concluded.is_frozen
    assert not Meeting(stage=Stage.IN_PROGRESS).is_over


def test_the_filter_twin_picks_the_same_meetings(make_meeting: Any) -> None:
    live, closed, cancelled = make_meeting(), make_meeting(), make_meeting()
    Meeting.objects.filter(pk=closed.pk).update(stage=Stage.CLOSED)
    Meeting.objects.filter(pk=cancelled.pk).update(stage=Stage.CANCELLED)
    assert set(Meeting.objects.filter(frozen_q())) == {closed, cancelled}
    assert set(Meeting.objects.exclude(frozen_q())) == {live}


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.CANCELLED])
def test_a_frozen_meeting_refuses_changes_to_its_plan(
    make_meeting: Any, organiser: Any, stage: str
) -> None:
    meeting = make_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(stage=stage)
    with pytest.raises(DomainError) as caught:
        services.update_meeting(meeting, actor=organiser, goals="new goals")
    assert caught.value.code == "meeting_frozen"
    assert Meeting.objects.get(pk=meeting.pk).goals == ""
