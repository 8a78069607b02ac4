"""Every app that changes a meeting's records reads the one frozen rule (Meeting.is_frozen).

The apps with no frozen test of their own are walked here through their edit predicates:
the organiser may edit while the meeting runs, and nobody may once it is closed or cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from meetops.agenda.permissions import can_edit_agenda
from meetops.budget.permissions import can_edit_budget, can_edit_supplies, can_record_expense
from meetops.evaluation.permissions import can_manage_feedback
from meetops.live.permissions import can_run_console
from meetops.meetings.models import Meeting, Stage
from meetops.minutes.permissions import can_manage_actions, can_write_minutes
from meetops.reports.permissions import can_write_report
from meetops.risks.permissions import can_edit_risks
from meetops.seating.permissions import can_arrange_seating

EDITS: list[Callable[[Any, Meeting], bool]] = [
    can_edit_agenda,
    can_edit_budget,
    can_record_expense,
    can_edit_supplies,
    can_manage_feedback,
    can_run_console,
    can_write_minutes,
    can_manage_actions,
    can_write_report,
    can_edit_risks,
    can_arrange_seating,
]


@pytest.mark.parametrize(
    "can_edit", EDITS, ids=lambda f: f.__module__.split(".")[1] + "." + f.__name__
)
def test_the_organiser_edits_until_the_meeting_is_frozen(
    make_meeting: Any, organiser: Any, can_edit: Callable[[Any, Meeting], bool]
) -> None:
    meeting = make_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(stage=Stage.IN_PROGRESS)
    assert can_edit(organiser, Meeting.objects.get(pk=meeting.pk))
    for stage in (Stage.CLOSED, Stage.CANCELLED):
        Meeting.objects.filter(pk=meeting.pk).update(stage=stage)
        assert not can_edit(organiser, Meeting.objects.get(pk=meeting.pk)), stage
