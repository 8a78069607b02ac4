"""Completion rules of the room: P3.4 and P3.5 from the timings, P3.6 from support duty and tickets.

`live.materials_released` (P3.3) is registered for a process version that wants
it; the default process keeps P3.3 a sign-off (paper copies on the desks are
handed out by people).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.agenda.models import AgendaItem
from meetops.live.models import MaterialsRelease
from meetops.live.selectors import has_tech_duty, open_tickets
from meetops.meetings.models import Meeting
from meetops.policy.rules import completion_rule


@completion_rule(
    "live.items_timed", _("The actual start and end of every agenda item are recorded")
)
def items_timed(meeting: Meeting) -> bool:
    items = AgendaItem.objects.filter(meeting=meeting)
    return items.exists() and not items.exclude(timing__ended_at__isnull=False).exists()


@completion_rule(
    "live.support_ready",
    _("Someone is on duty for technical support and no reported problem is open"),
)
def support_ready(meeting: Meeting) -> bool:
    return has_tech_duty(meeting) and not open_tickets(meeting).exists()


@completion_rule("live.materials_released", _("The materials are released to the participants"))
def materials_released(meeting: Meeting) -> bool:
    return MaterialsRelease.objects.filter(meeting=meeting, announced_at__isnull=False).exists()
