"""Reads of agendas. The meeting is loaded and authorised by the caller (`get_meeting_for_user`)."""

from __future__ import annotations

from django.db.models import QuerySet

from meetops.agenda.models import AgendaItem
from meetops.agenda.schedule import Agenda, build_agenda
from meetops.core.errors import NotFound
from meetops.meetings.models import Meeting


def items_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter_user", "presenter_contact")
        .order_by("order", "id")
    )


def agenda_of(meeting: Meeting) -> Agenda:
    """The meeting's agenda with computed times and warnings, in two queries at most."""
    return build_agenda(meeting, items_of(meeting))


def public_agenda_of(meeting: Meeting) -> Agenda:
    """Only the items marked public (for invitations and public programmes); times as in the full agenda."""
    full = agenda_of(meeting)
    return Agenda(meeting=meeting, slots=[s for s in full.slots if s.item.is_public], warnings=[])


def get_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = items_of(meeting).filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item
