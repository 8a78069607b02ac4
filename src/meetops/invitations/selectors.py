"""Reads: participant lists with their answers, the RSVP dashboard, feeds, groups. Constant query counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from meetops.core.errors import NotFound
from meetops.invitations.models import (
    CalendarFeed,
    Invitation,
    InvitationSettings,
    Response,
    SavedGroup,
    SubstituteStatus,
)
from meetops.meetings.models import Meeting, MeetingRole, Participant, ParticipantStatus
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import Role, User


def participants_of(meeting: Meeting) -> QuerySet[Participant]:
    """Everyone on the meeting with their invitation (if any), in one query."""
    return (
        Participant.objects.filter(meeting=meeting)
        .select_related("user", "contact", "invitation", "substitute_for")
        .order_by("role", "id")
    )


def rsvp_state(participant: Participant) -> str:
    """`uninvited`, `no_answer`, `accept`, `decline`, `substitute`, or `substituted` (replaced)."""
    if participant.status == ParticipantStatus.SUBSTITUTED:
        return "substituted"
    invitation = getattr(participant, "invitation", None)
    if invitation is None or (invitation.first_sent_at is None and not invitation.response):
        return "uninvited"
    return invitation.response or "no_answer"


@dataclass
class RsvpSummary:
    participants: int
    invited: int
    uninvited: int
    accepted: int
    declined: int
    substitutes: int
    substitutes_pending: int
    no_answer: int


def rsvp_summary(meeting: Meeting) -> RsvpSummary:
    """The dashboard's counts in one query."""
    active = Q(status=ParticipantStatus.ACTIVE) & ~Q(role=MeetingRole.ORGANISER)
    sent = active & Q(invitation__first_sent_at__isnull=False, invitation__revoked_at__isnull=True)
    c = Participant.objects.filter(meeting=meeting).aggregate(
        participants=Count("pk", filter=active),
        invited=Count("pk", filter=sent),
        accepted=Count("pk", filter=active & Q(invitation__response=Response.ACCEPT)),
        declined=Count("pk", filter=active & Q(invitation__response=Response.DECLINE)),
        substitutes=Count("pk", filter=Q(invitation__response=Response.SUBSTITUTE)),
        substitutes_pending=Count(
            "pk", filter=Q(invitation__substitute_status=SubstituteStatus.PENDING)
        ),
        no_answer=Count("pk", filter=sent & Q(invitation__response=Response.NONE)),
    )
    return RsvpSummary(uninvited=c["participants"] - c["invited"], **c)


def invitation_of(meeting: Meeting, participant_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("participant", "meeting")
        .filter(meeting=meeting, participant_id=participant_id)
        .first()
    )
    if invitation is None:
        raise NotFound()
    return invitation


def user_feed_meetings(token: str) -> tuple[User, list[tuple[Meeting, InvitationSettings | None]]]:
    """The meetings in a user's calendar feed: those they are on and may still see."""
    feed = (
        CalendarFeed.objects.select_related("user").filter(token=token).first() if token else None
    )
    if feed is None or not feed.user.is_active:
        raise NotFound()
    user = feed.user
    meetings = (
        meetings_visible_to(user)
        .filter(
            Q(participants__user=user, participants__status=ParticipantStatus.ACTIVE)
            | Q(created_by=user)
        )
        .select_related("created_by", "invitation_settings")
        .distinct()
        .order_by("start")
    )
    return user, [(m, getattr(m, "invitation_settings", None)) for m in meetings]


def meeting_feed(token: str) -> tuple[Meeting, InvitationSettings]:
    state = (
        InvitationSettings.objects.select_related("meeting", "meeting__created_by")
        .filter(feed_token=token)
        .first()
        if token
        else None
    )
    if state is None:
        raise NotFound()
    return state.meeting, state


def groups_for(user: User) -> QuerySet[SavedGroup]:
    if user.is_admin:
        return SavedGroup.objects.all()
    shared = Q(shared=True) if user.has_role(Role.ORGANISER) else Q(pk__in=[])
    return SavedGroup.objects.filter(Q(owner=user) | shared)
