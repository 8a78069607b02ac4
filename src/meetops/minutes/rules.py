"""Completion rules the minutes can judge: P3.9 (minutes approved) and P3.10 (closing summary)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import Meeting
from meetops.minutes.models import Minutes, MinutesState
from meetops.policy.rules import completion_rule


@completion_rule("minutes.approved", _("The minutes are approved by the host"))
def minutes_approved(meeting: Meeting) -> bool:
    return Minutes.objects.filter(
        meeting=meeting, state__in=[MinutesState.APPROVED, MinutesState.PUBLISHED]
    ).exists()


@completion_rule("minutes.summary_recorded", _("The host's closing summary is recorded"))
def summary_recorded(meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting).exclude(summary="").exists()
