"""The completion rule this app judges from its own evidence (P3.1)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.attendance.models import SignIn
from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting


@completion_rule("attendance.signin_recorded", _("The sign-in desk has recorded arrivals"))
def signin_recorded(meeting: Meeting) -> bool:
    return SignIn.objects.filter(meeting=meeting, undone_at__isnull=True).exists()
