"""Problems in the room (P3.6; security incidents, P3.7): report, acknowledge, resolve.

Reporting tells the staff on duty for the category and the organisers through
the outbox, in the same transaction; the reporter hears when help is on the way
and when it is resolved.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.live import errors
from meetops.live.events import SUPPORT_REPORTED, SUPPORT_UPDATED
from meetops.live.models import SupportTicket, TicketCategory, TicketStatus
from meetops.live.permissions import can_handle_tickets, can_take_part
from meetops.live.selectors import support_people
from meetops.meetings.models import Meeting
from meetops.notifications.services import enqueue
from meetops.people.models import User


def _tell(ticket: SupportTicket, event: str, recipients: list[User], actor: User) -> None:
    enqueue(
        event=event,
        recipients=recipients,
        meeting=ticket.meeting,
        actor=actor,
        context={
            "ticket": ticket,
            "meeting": ticket.meeting,
            "url": f"/meetings/{ticket.meeting_id}/live/support/",
        },
        dedupe_key=f"{event}:{ticket.pk}:{ticket.status}",
    )


def report_problem(
    meeting: Meeting, *, actor: User, category: str, room: str = "", note: str = ""
) -> SupportTicket:
    """Open a ticket and tell the people on duty. Anyone on the meeting may report."""
    if not can_take_part(actor, meeting):
        raise PermissionDenied()
    if category not in TicketCategory.values:
        raise ValidationFailed(errors_category(), "invalid_category", category=category)
    with transaction.atomic():
        ticket = SupportTicket.objects.create(
            meeting=meeting,
            category=category,
            room=(room.strip() or meeting.location)[:200],
            note=note.strip()[:1000],
            reported_by=actor,
            reported_at=timezone.now(),
        )
        audit.record(
            "live.ticket.reported",
            meeting,
            actor=actor,
            data={"ticket": ticket.pk, "category": category, "room": ticket.room},
        )
        _tell(ticket, SUPPORT_REPORTED, support_people(meeting, category), actor)
    return ticket


def errors_category() -> str:
    from django.utils.translation import gettext

    return gettext("Choose sound, projection, network, power, security or other.")


def _locked(ticket: SupportTicket, actor: User) -> SupportTicket:
    if not can_handle_tickets(actor, ticket.meeting):
        raise PermissionDenied()
    locked = SupportTicket.objects.select_for_update().get(pk=ticket.pk)
    locked.meeting = ticket.meeting
    if locked.status == TicketStatus.RESOLVED:
        raise errors.ticket_state(locked.status)
    return locked


def acknowledge_ticket(ticket: SupportTicket, *, actor: User) -> SupportTicket:
    """Someone on duty takes the ticket: the reporter hears that help is on the way."""
    with transaction.atomic():
        ticket = _locked(ticket, actor)
        if ticket.status == TicketStatus.ACKNOWLEDGED:
            return ticket
        ticket.status = TicketStatus.ACKNOWLEDGED
        ticket.acknowledged_by = actor
        ticket.acknowledged_at = timezone.now()
        ticket.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        audit.record(
            "live.ticket.acknowledged", ticket.meeting, actor=actor, data={"ticket": ticket.pk}
        )
        if ticket.reported_by:
            _tell(ticket, SUPPORT_UPDATED, [ticket.reported_by], actor)
    return ticket


def resolve_ticket(ticket: SupportTicket, *, actor: User, resolution: str = "") -> SupportTicket:
    """Close the ticket with what was done; an unacknowledged ticket counts as acknowledged now."""
    with transaction.atomic():
        ticket = _locked(ticket, actor)
        now = timezone.now()
        if ticket.acknowledged_at is None:
            ticket.acknowledged_by = actor
            ticket.acknowledged_at = now
        ticket.status = TicketStatus.RESOLVED
        ticket.resolved_by = actor
        ticket.resolved_at = now
        ticket.resolution = resolution.strip()[:1000]
        ticket.save(
            update_fields=[
                "status",
                "acknowledged_by",
                "acknowledged_at",
                "resolved_by",
                "resolved_at",
                "resolution",
            ]
        )
        audit.record(
            "live.ticket.resolved",
            ticket.meeting,
            actor=actor,
            data={"ticket": ticket.pk, "resolution": ticket.resolution},
        )
        if ticket.reported_by:
            _tell(ticket, SUPPORT_UPDATED, [ticket.reported_by], actor)
    return ticket
