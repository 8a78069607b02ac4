"""Completion rules of the emergency plan (P2.9), the readiness inspection (P2.10) and the
security plan (P3.7)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting
from meetops.risks.models import ReadinessSignature
from meetops.risks.security.selectors import security_ready as security_plan_ready
from meetops.risks.selectors import plan_approved, readiness_of


@completion_rule("risks.emergency_plan_approved", _("The emergency plan is approved by a leader"))
def emergency_plan_approved(meeting: Meeting) -> bool:
    return plan_approved(meeting)


@completion_rule(
    "risks.readiness_passed",
    _("The readiness inspection is signed and every required item is still OK"),
)
def readiness_passed(meeting: Meeting) -> bool:
    if not ReadinessSignature.objects.filter(meeting=meeting).exists():
        return False  # one query for the common case
    return readiness_of(meeting).passed


@completion_rule(
    "risks.security_ready",
    _("The security plan is approved and every post has a guard"),
)
def security_ready(meeting: Meeting) -> bool:
    return security_plan_ready(meeting)
