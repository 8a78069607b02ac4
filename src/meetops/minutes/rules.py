"""Completion rules the minutes can judge.

P3.9 uses `minutes.submitted`: the minute-taker has handed the minutes in.
Approval by the host usually happens after the meeting has ended, so making
P3.9 wait for it would hold the meeting in "in progress"; `minutes.approved`
stays registered for an organisation whose process version wants that.
P3.10 uses `minutes.summary_recorded`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import Meeting
from meetops.minutes.models import Minutes, MinutesState
from meetops.policy.rules import completion_rule


@completion_rule("minutes.submitted", _("The minute-taker has submitted the minutes"))
def minutes_submitted(meeting: Meeting) -> bool:
    return Minutes.objects.filter(
        meeting=meeting,
        state__in=[MinutesState.SUBMITTED, MinutesState.APPROVED, MinutesState.PUBLISHED],
    ).exists()


@completion_rule("minutes.approved", _("The minutes are approved by the host"))
def minutes_approved(meeting: Meeting) -> bool:
    return Minutes.objects.filter(
        meeting=meeting, state__in=[MinutesState.APPROVED, MinutesState.PUBLISHED]
    ).exists()


@completion_rule("minutes.summary_recorded", _("The host's closing summary is recorded"))
def summary_recorded(meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting).exclude(summary="").exists()
