"""The one notification of this app: a high or critical risk event reaches the organisers and the risk's owner.

Written to the outbox in the caller's transaction (`notifications.services.enqueue`),
so an event that rolls back tells nobody. Texts: `templates/notifications/messages/risks.event.severe/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import MeetingRole, holding
from meetops.notifications import events
from meetops.notifications.services import enqueue
from meetops.people.models import Role
from meetops.people.models import User as UserModel
from meetops.risks.permissions import can_approve_plan

if TYPE_CHECKING:
    from meetops.meetings.models import Meeting
    from meetops.people.models import User
    from meetops.risks.models import EmergencyPlan, RiskEvent, RiskNote

SEVERE_EVENT = events.register_event(
    "risks.event.severe", _("A high or critical risk event was recorded"), broadcast=False
).code


def tell_severe_event(event: RiskEvent, *, meeting: Meeting, actor: User) -> int:
    """Queue the message for the organisers, the creator and the risk's owner (not the actor)."""
    organisers = meeting.participants.filter(
        role=MeetingRole.ORGANISER, user__isnull=False
    ).select_related("user")
    owner = event.risk.owner if event.risk is not None else None
    people = [*(p.user for p in organisers), meeting.created_by, owner]
    recipients = {u.pk: u for u in people if u is not None}
    return enqueue(
        event=SEVERE_EVENT,
        recipients=list(recipients.values()),
        meeting=meeting,
        actor=actor,
        context={"event": event, "meeting": meeting, "url": f"/meetings/{meeting.pk}/risk-events/"},
        dedupe_key=f"{SEVERE_EVENT}:{event.pk}",
    )


NOTE_POSTED = events.register_event(
    "risks.note.posted",
    _("A message about a risk was addressed to you or your department"),
    broadcast=False,
).code


def note_recipients(note: RiskNote) -> list[User]:
    """The risk's owner, the meeting's organisers and the people on the meeting from the
    addressed departments (their sub-departments included), and earlier writers on the risk."""
    from django.db.models import Q

    risk = note.risk
    meeting = risk.meeting
    on_meeting = meeting.participants.filter(user__isnull=False)
    paths = [d.path for d in note.departments.all()]
    in_departments = Q()
    for path in paths:
        in_departments |= Q(department__path__startswith=path)
    wanted = Q(pk__in=on_meeting.filter(holding(MeetingRole.ORGANISER)).values("user_id"))
    wanted |= Q(pk__in=risk.notes.exclude(author=None).values("author_id"))
    if risk.owner_id:
        wanted |= Q(pk=risk.owner_id)
    if paths:
        wanted |= Q(pk__in=on_meeting.values("user_id")) & in_departments
    return list(UserModel.objects.filter(wanted, is_active=True).distinct().order_by("pk"))


def tell_note(note: RiskNote, *, actor: User) -> int:
    meeting = note.risk.meeting
    return enqueue(
        event=NOTE_POSTED,
        recipients=note_recipients(note),
        meeting=meeting,
        actor=actor,
        context={
            "note": note,
            "risk": note.risk,
            "meeting": meeting,
            "by": actor,
            "url": f"/meetings/{meeting.pk}/risks/{note.risk_id}/coordination/",
        },
        dedupe_key=f"{NOTE_POSTED}:{note.pk}",
    )


PLAN_SUBMITTED = events.register_event(
    "risks.plan.submitted",
    _("A meeting's emergency plan is waiting for your approval"),
    broadcast=False,
).code


def tell_deciders(event: str, *, meeting: Meeting, actor: User, page: str) -> int:
    """Tell the leaders who may decide the meeting's plans (not the one who submitted) that a
    plan waits for them; `page` is its page under the meeting."""
    leaders = (
        UserModel.objects.filter(role_assignments__role=Role.LEADER, is_active=True)
        .exclude(pk=actor.pk)
        .distinct()
        .order_by("pk")
    )
    return enqueue(
        event=event,
        recipients=[u for u in leaders if can_approve_plan(u, meeting)],
        meeting=meeting,
        actor=actor,
        context={"meeting": meeting, "by": str(actor), "url": f"/meetings/{meeting.pk}/{page}/"},
    )


def plan_submitted(plan: EmergencyPlan, *, meeting: Meeting, actor: User) -> int:
    """Tell the leaders who may decide the plan (not the one who submitted it) that it waits
    for them; their personal message offers Approve / Return (risks/from_message.py)."""
    return tell_deciders(PLAN_SUBMITTED, meeting=meeting, actor=actor, page="emergency-plan")
