"""Reads: participant lists with their answers, the RSVP dashboard, feeds, groups. Constant query counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from meetops.core.errors import NotFound, PermissionDenied
from meetops.invitations.models import (
    CalendarFeed,
    CalendarReply,
    Invitation,
    InvitationSettings,
    ReplyOutcome,
    Response,
    SavedGroup,
    SubstituteStatus,
)
from meetops.invitations.permissions import can_edit_group
from meetops.meetings.models import Meeting, MeetingRole, Participant, ParticipantStatus, only_in
from meetops.meetings.selectors import managed_by, meetings_visible_to
from meetops.people.models import ExternalContact, Role, User
from meetops.people.names import NameOrder, order_fields


def participants_of(meeting: Meeting, *, ordering: str = "role") -> QuerySet[Participant]:
    """Everyone on the meeting with their invitation (if any), in one query.

    By role, then pinyin of the name (`role`); by name alone (`pinyin`); or 姓氏笔画 (`strokes`),
    the order of an official list."""
    order = order_fields(ordering) if ordering in NameOrder.values else ["role", *order_fields("")]
    return (
        Participant.objects.filter(meeting=meeting)
        .select_related("user", "contact", "invitation", "substitute_for")
        .order_by(*order, "id")
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
    active = Q(status=ParticipantStatus.ACTIVE) & ~only_in([MeetingRole.ORGANISER])
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
    """The saved groups the user may use: their own, shared ones (organisers), all (admins)."""
    if not user.is_authenticated:
        return SavedGroup.objects.none()
    codes = user.role_codes
    if Role.ADMIN in codes:
        return SavedGroup.objects.all()
    shared = Q(shared=True) if Role.ORGANISER in codes else Q(pk__in=[])
    return SavedGroup.objects.filter(Q(owner=user) | shared)


def _with_members(groups: QuerySet[SavedGroup]) -> QuerySet[SavedGroup]:
    return groups.select_related("owner").prefetch_related(
        Prefetch(
            "users",
            queryset=User.objects.select_related("department").order_by(
                "name_pinyin", "name_strokes", "username"
            ),
        ),
        Prefetch("contacts", queryset=ExternalContact.objects.order_by(*order_fields(""), "pk")),
    )


def group_list_for(user: User) -> QuerySet[SavedGroup]:
    """The groups the user may use with owner, members and member counts; constant queries."""
    return _with_members(
        groups_for(user).annotate(
            user_count=Count("users", distinct=True),
            contact_count=Count("contacts", distinct=True),
        )
    ).order_by("name", "pk")


def get_group_for_user(user: User, pk: int, *, write: bool = False) -> SavedGroup:
    """The group with its members if the user may use it (404 otherwise); 403 if `write` and they may not edit it."""
    group = _with_members(groups_for(user)).filter(pk=pk).first()
    if group is None:
        raise NotFound()
    if write and not can_edit_group(user, group):
        raise PermissionDenied(_("Only the group's owner or an admin may change it."))
    return group


def group_members(group: SavedGroup) -> tuple[list[User], list[ExternalContact]]:
    """The group's users and contacts, by name (prefetched by the loaders above)."""
    return list(group.users.all()), list(group.contacts.all())


def to_hand_out(meeting: Meeting) -> QuerySet[Participant]:
    """Invitees nothing can reach: no e-mail and no account (so no inbox, no IM). The organiser
    hands them their personal link (printed with its QR code); until then they are not invited."""
    return (
        Participant.objects.filter(
            meeting=meeting,
            status=ParticipantStatus.ACTIVE,
            email="",
            user__isnull=True,
            invitation__isnull=False,
            invitation__revoked_at__isnull=True,
        )
        .exclude(role=MeetingRole.ORGANISER)
        .select_related("invitation")
        .order_by(*order_fields(""), "id")
    )


def tentative_by_mail(meeting: Meeting) -> dict[int, datetime]:
    """{invitation id: when} for those whose latest calendar reply says TENTATIVE ("maybe").

    Only a reply that MeetOps took (applied, unchanged or noted) counts, and only when it is
    newer than the answer recorded, so a later "yes" on the personal link clears it. One query.
    """
    latest: dict[int, tuple[str, datetime]] = {}
    rows = (
        CalendarReply.objects.filter(
            invitation__meeting=meeting,
            outcome__in=[ReplyOutcome.APPLIED, ReplyOutcome.UNCHANGED, ReplyOutcome.NOTED],
        )
        .order_by("received_at", "id")
        .values_list("invitation_id", "partstat", "received_at", "invitation__responded_at")
    )
    answered: dict[int, datetime | None] = {}
    for invitation_id, partstat, received_at, responded_at in rows:
        latest[invitation_id] = (partstat, received_at)
        answered[invitation_id] = responded_at
    maybe: dict[int, datetime] = {}
    for pk, (partstat, when) in latest.items():
        answered_at = answered[pk]
        if partstat == "TENTATIVE" and (answered_at is None or answered_at < when):
            maybe[pk] = when
    return maybe


def calendar_replies_for(
    user: User,
    *,
    outcome: str = "",
    partstat: str = "",
    address: str = "",
    meeting: int | None = None,
) -> QuerySet[CalendarReply]:
    """The calendar replies received by mail that `user` may read, newest first, filtered.

    Admins read every one, including mail that named no invitation; anyone else only the
    replies to invitations of meetings they manage. `outcome="copies"`: mail received more
    than once."""
    replies = CalendarReply.objects.select_related(
        "invitation__participant", "invitation__meeting"
    ).order_by("-received_at", "-id")
    if not user.is_admin:
        replies = replies.filter(invitation__meeting__in=Meeting.objects.filter(managed_by(user)))
    if outcome == "copies":
        replies = replies.filter(copies__gt=1)
    elif outcome:
        replies = replies.filter(outcome=outcome)
    if partstat:
        replies = replies.filter(partstat=partstat)
    if address:
        replies = replies.filter(Q(attendee__icontains=address) | Q(sender__icontains=address))
    if meeting:
        replies = replies.filter(invitation__meeting_id=meeting)
    return replies
