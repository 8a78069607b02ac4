"""The completion rule of P2.7: the meeting was announced and the announcement arrived."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.meetings.models import Meeting
from meetops.promotion.models import Announcement
from meetops.promotion.selectors import delivered


@completion_rule(
    "promotion.announced", _("An announcement was published and delivered to its audiences")
)
def announced(meeting: Meeting) -> bool:
    """A published announcement of which at least one message was delivered (the outbox says
    sent), or that stands on the public page of a public meeting."""
    return any(
        delivered(a)
        for a in Announcement.objects.filter(
            meeting=meeting, published_at__isnull=False
        ).select_related("meeting")
    )
