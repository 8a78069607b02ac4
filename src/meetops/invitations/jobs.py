"""Scheduled reminders to invitees who have not answered, the day before the answer deadline.

Registered with the notifications worker's periodic jobs (`meetops worker`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.core.scheduler import periodic
from meetops.invitations.models import InvitationSettings
from meetops.invitations.services.invitations import SENDABLE_STAGES, remind_non_responders

logger = logging.getLogger(__name__)

# Remind once when the deadline is this close (and not again within it).
REMIND_BEFORE = timedelta(hours=24)


@periodic(every_seconds=900, name="invitations.deadline_reminders")
def remind_before_deadline() -> int:
    """Remind non-responders of meetings whose answer deadline falls within the next day. Returns meetings done."""
    now = timezone.now()
    due = (
        InvitationSettings.objects.filter(
            rsvp_deadline__gt=now,
            rsvp_deadline__lte=now + REMIND_BEFORE,
            meeting__stage__in=list(SENDABLE_STAGES),
            meeting__start__gt=now,
        )
        .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lt=now - REMIND_BEFORE))
        .select_related("meeting", "meeting__kind", "meeting__created_by")
    )
    done = 0
    for state in due:
        try:
            remind_non_responders(state.meeting, actor=None)
            done += 1
        except DomainError as exc:
            logger.info("no reminders for meeting %s: %s", state.meeting_id, exc.code)
    return done
