"""Completion rules: lessons recorded (P4.8, P8.6) and an excellent case nominated (P4.9).

P4.8 was first made automatic by the evaluation app (its "lessons learned" text); this app's
rule takes the step over and accepts either evidence, so neither way of recording is lost.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.improvement.models import Case, Lesson, Phase
from meetops.meetings.models import Meeting
from meetops.policy.rules import is_met


@completion_rule(
    "improvement.lessons_recorded",
    _("Lessons from preparing or running the meeting are recorded"),
)
def lessons_recorded(meeting: Meeting) -> bool:
    """In the lessons register, or (through the registry, if installed) in the done evaluation."""
    in_register = Lesson.objects.filter(
        meeting=meeting, phase__in=[Phase.PREPARATION, Phase.RUNNING, Phase.AFTER]
    ).exists()
    return in_register or is_met("evaluation.lessons_recorded", meeting)


@completion_rule(
    "improvement.followup_lessons_recorded", _("Lessons from the follow-up work are recorded")
)
def followup_lessons_recorded(meeting: Meeting) -> bool:
    return Lesson.objects.filter(meeting=meeting, phase=Phase.FOLLOWUP).exists()


@completion_rule("improvement.case_nominated", _("The meeting is nominated as an excellent case"))
def case_nominated(meeting: Meeting) -> bool:
    return Case.objects.filter(meeting=meeting).exclude(status="draft").exists()
