"""Completion rules this app judges from its own evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.invitations.models import InvitationSettings
from meetops.invitations.selectors import rsvp_summary
from meetops.meetings.models import Meeting
from meetops.policy.rules import completion_rule


@completion_rule(
    "invitations.invitations_sent",
    _("Everyone is invited, and either an answer deadline is set or everyone has answered"),
)
def invitations_sent(meeting: Meeting) -> bool:
    """P2.3: every invitee has had the invitation; answers are being collected against a deadline,
    or are all in already (small meetings need no deadline)."""
    summary = rsvp_summary(meeting)
    if summary.participants == 0 or summary.uninvited > 0:
        return False
    if summary.no_answer == 0:
        return True
    return InvitationSettings.objects.filter(meeting=meeting, rsvp_deadline__isnull=False).exists()
