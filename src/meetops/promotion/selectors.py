"""Reads: who an announcement reaches, what it reached, and the notice board.

Reach of one announcement (shown on its page, read by P6.1's indicator):
- delivered: its outbox messages by channel and state (the outbox is the record; robots and
  work-IM copies included), and the distinct people with at least one message sent;
- opened: distinct recipients who followed their personal link, or read its bell entry;
- registered: recipients who accepted the invitation after the first publication, and, when
  the announcement is on the public page, confirmed public registrations after it;
- reached: distinct people who opened or registered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import MAX_DB_ID
from meetops.invitations.models import Invitation, PublicRegistration, RegistrationStatus, Response
from meetops.invitations.models import SavedGroup as Group
from meetops.invitations.selectors import groups_for
from meetops.invitations.services.public import is_public
from meetops.meetings.models import Confidentiality, Meeting, Stage
from meetops.meetings.permissions import can_view_meeting
from meetops.notifications.models import Channel, Notification, OutboxMessage, RobotEndpoint, Status
from meetops.people.models import Department, User
from meetops.people.selectors import department_ids_of
from meetops.promotion.events import ANNOUNCEMENT
from meetops.promotion.models import Announcement, AnnouncementChannel, Recipient
from meetops.promotion.permissions import can_read_reach
from meetops.workim.platforms import configured_platforms

NOT_DELIVERED = (Status.DEAD, Status.UNCONFIRMED)


def available_channels() -> list[tuple[str, str]]:
    """The channels an organiser may choose now: work IM only where a platform is set up."""
    have_im = bool(configured_platforms())
    return [
        (value, str(label))
        for value, label in AnnouncementChannel.choices
        if value != AnnouncementChannel.IM or have_im
    ]


def usable_groups(user: User) -> QuerySet[Group]:
    return groups_for(user).order_by("name", "pk")


def audience_of(
    departments: Iterable[Department], groups: Iterable[Group]
) -> dict[int, tuple[User, str]]:
    """{user id: (person, the audience that brought them in)} for the active people of the
    departments (with every department below them) and of the groups; two queries."""
    people: dict[int, tuple[User, str]] = {}
    departments = sorted(departments, key=lambda d: d.path)
    if departments:
        below = reduce(or_, (Q(department__path__startswith=d.path) for d in departments))
        for user in User.objects.filter(below, is_active=True).select_related("department"):
            # The nearest chosen department above the person names the audience.
            owner = max(
                (
                    d
                    for d in departments
                    if user.department and user.department.path.startswith(d.path)
                ),
                key=lambda d: len(d.path),
            )
            people.setdefault(user.pk, (user, f"department:{owner.pk}"))
    groups = sorted(groups, key=lambda g: g.pk)
    if groups:
        through = Group.users.through.objects.filter(savedgroup__in=groups, user__is_active=True)
        for group_id, user in (
            (row.savedgroup_id, row.user)
            for row in through.select_related("user").order_by("savedgroup_id", "user_id")
        ):
            people.setdefault(user.pk, (user, f"group:{group_id}"))
    return people


def robots_for(meeting: Meeting, departments: Iterable[Department]) -> list[RobotEndpoint]:
    """The enabled group robots of the meeting and of the audience departments (and those below
    them) that take this event."""
    where = Q(meeting=meeting)
    for d in departments:
        where |= Q(department__path__startswith=d.path, meeting__isnull=True)
    return [
        r
        for r in RobotEndpoint.objects.filter(where, enabled=True).order_by("pk")
        if not r.events or ANNOUNCEMENT.code in r.events
    ]


def announcements_of(meeting: Meeting) -> QuerySet[Announcement]:
    return (
        Announcement.objects.filter(meeting=meeting)
        .select_related("created_by")
        .prefetch_related("departments", "groups")
        .annotate(recipient_count=Count("recipients"))
        .order_by("-published_at", "-id")
    )


def get_announcement_for_user(user: User, pk: int, *, manage: bool = False) -> Announcement:
    """404 for who may not see the meeting or is not told of it; 403 for `manage` by a reader."""
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    announcement = (
        Announcement.objects.select_related("meeting", "meeting__kind", "meeting__department")
        .prefetch_related("departments", "groups")
        .filter(pk=pk, published_at__isnull=False)
        .first()
    )
    if announcement is None:
        raise NotFound()
    meeting = announcement.meeting
    if can_view_meeting(user, meeting) and can_read_reach(user, meeting):
        return announcement
    if manage:
        if can_view_meeting(user, meeting):
            raise PermissionDenied()
        raise NotFound()
    if not notices_for(user, upcoming=False).filter(pk=pk).exists():
        raise NotFound()
    return announcement


def notices_for(user: User, *, upcoming: bool = True) -> QuerySet[Announcement]:
    """Published announcements told to this person: sent to them, to their department or one
    above it, or on the public page of a public meeting; upcoming meetings first."""
    told = Q(public_page=True, meeting__confidentiality=Confidentiality.PUBLIC)
    told |= Q(Exists(Recipient.objects.filter(announcement=OuterRef("pk"), user_id=user.pk)))
    ids = department_ids_of(user)
    if ids:
        through = Announcement.departments.through.objects.filter(
            announcement=OuterRef("pk"), department_id__in=ids
        )
        told |= Q(Exists(through))
    notices = Announcement.objects.filter(told, published_at__isnull=False).exclude(
        meeting__confidentiality=Confidentiality.CONFIDENTIAL
    )
    if upcoming:
        notices = notices.filter(meeting__end__gte=timezone.now()).exclude(
            meeting__stage=Stage.CANCELLED
        )
    return notices.select_related("meeting", "meeting__kind").order_by("meeting__start", "pk")


def public_notices(meeting: Meeting) -> QuerySet[Announcement]:
    """What the public page of a public meeting shows."""
    if not is_public(meeting):
        return Announcement.objects.none()
    return Announcement.objects.filter(
        meeting=meeting, public_page=True, published_at__isnull=False
    ).order_by("-published_at", "-pk")


def recipient_by_token(token: str) -> Recipient | None:
    if not token or len(token) > 64:
        return None
    return Recipient.objects.select_related("announcement").filter(token=token).first()


@dataclass
class ChannelCount:
    channel: str
    label: str
    sent: int = 0
    waiting: int = 0
    failed: int = 0


@dataclass
class Reach:
    recipients: int
    channels: list[ChannelCount]
    delivered_people: int
    opened: int
    registered: int
    public_registrations: int
    reached: int
    reached_keys: set[str] = field(default_factory=set, repr=False)

    @property
    def delivered(self) -> int:
        return sum(c.sent for c in self.channels)

    def as_dict(self) -> dict[str, object]:
        return {
            "recipients": self.recipients,
            "delivered": self.delivered,
            "delivered_people": self.delivered_people,
            "channels": [
                {"channel": c.channel, "sent": c.sent, "waiting": c.waiting, "failed": c.failed}
                for c in self.channels
            ],
            "opened": self.opened,
            "registered": self.registered,
            "public_registrations": self.public_registrations,
            "reached": self.reached,
        }


def _messages(announcement: Announcement) -> QuerySet[OutboxMessage]:
    # No ordering: the outbox's default (-id) would split the groups and the distinct counts.
    return OutboxMessage.objects.filter(
        event=ANNOUNCEMENT.code, url__startswith=announcement.link_prefix
    ).order_by()


def _channel_counts(announcement: Announcement) -> list[ChannelCount]:
    labels = dict(Channel.choices)
    counts: dict[str, ChannelCount] = {}
    rows = (
        _messages(announcement)
        .values("channel", "status")
        .annotate(n=Count("id"))
        .values_list("channel", "status", "n")
    )
    for channel, status, n in rows:
        line = counts.setdefault(channel, ChannelCount(channel, str(labels.get(channel, channel))))
        if status == Status.SENT:
            line.sent += n
        elif status in NOT_DELIVERED:
            line.failed += n
        else:
            line.waiting += n
    order = list(Channel.values)
    return sorted(
        counts.values(), key=lambda c: order.index(c.channel) if c.channel in order else 99
    )


def _opened_ids(announcement: Announcement) -> set[int]:
    by_link = set(
        announcement.recipients.filter(opened_at__isnull=False).values_list("user_id", flat=True)
    )
    by_bell = set(
        Notification.objects.filter(
            source__event=ANNOUNCEMENT.code,
            source__url__startswith=announcement.link_prefix,
            read_at__isnull=False,
        ).values_list("user_id", flat=True)
    )
    return by_link | by_bell


def _accepted_ids(announcement: Announcement) -> set[int]:
    """Recipients who accepted their invitation after the announcement first went out."""
    if announcement.published_at is None:
        return set()
    return set(
        Invitation.objects.filter(
            meeting_id=announcement.meeting_id,
            response=Response.ACCEPT,
            responded_at__gte=announcement.published_at,
            participant__user__announcements_received__announcement=announcement,
        ).values_list("participant__user_id", flat=True)
    )


def _public_registrations(announcement: Announcement) -> set[str]:
    if not announcement.public_page or announcement.published_at is None:
        return set()
    emails = PublicRegistration.objects.filter(
        meeting_id=announcement.meeting_id,
        status=RegistrationStatus.CONFIRMED,
        created_at__gte=announcement.published_at,
    ).values_list("email", flat=True)
    return {f"e{e.strip().lower()}" for e in emails}


def reach_of(announcement: Announcement) -> Reach:
    """The announcement's reach, from the outbox, the bell, its links and the answers (six queries)."""
    channels = _channel_counts(announcement)
    delivered_people = (
        _messages(announcement)
        .filter(status=Status.SENT, user__isnull=False)
        .values("user_id")
        .distinct()
        .count()
    )
    opened = _opened_ids(announcement)
    accepted = _accepted_ids(announcement)
    public = _public_registrations(announcement)
    keys = {f"u{pk}" for pk in opened | accepted} | public
    return Reach(
        recipients=announcement.recipients.count(),
        channels=channels,
        delivered_people=delivered_people,
        opened=len(opened),
        registered=len(accepted) + len(public),
        public_registrations=len(public),
        reached=len(keys),
        reached_keys=keys,
    )


def people_reached(meeting: Meeting) -> set[str]:
    """Keys of the distinct people the meeting's announcements reached (opened or registered):
    "u<user id>" for accounts, "e<e-mail>" for public registrants. Read by P6.1's indicator;
    one query for a meeting never announced, five otherwise."""
    published = Announcement.objects.filter(meeting=meeting, published_at__isnull=False)
    if not published.exists():
        return set()
    opened = set(
        Recipient.objects.filter(
            announcement__meeting=meeting, opened_at__isnull=False
        ).values_list("user_id", flat=True)
    )
    opened |= set(
        Notification.objects.filter(
            source__event=ANNOUNCEMENT.code, source__meeting=meeting, read_at__isnull=False
        ).values_list("user_id", flat=True)
    )
    told_before = Recipient.objects.filter(
        user_id=OuterRef("participant__user_id"),
        announcement__meeting=meeting,
        announcement__published_at__lte=OuterRef("responded_at"),
    )
    accepted = set(
        Invitation.objects.filter(meeting=meeting, response=Response.ACCEPT)
        .filter(Exists(told_before))
        .values_list("participant__user_id", flat=True)
    )
    on_page_before = published.filter(public_page=True, published_at__lte=OuterRef("created_at"))
    emails = PublicRegistration.objects.filter(
        Exists(on_page_before), meeting=meeting, status=RegistrationStatus.CONFIRMED
    ).values_list("email", flat=True)
    keys = {f"u{pk}" for pk in opened | accepted}
    return keys | {f"e{e.strip().lower()}" for e in emails}


def delivered(announcement: Announcement) -> bool:
    """At least one of its messages was delivered, or it stands on a live public page."""
    if announcement.public_page and is_public(announcement.meeting):
        return True
    return _messages(announcement).filter(status=Status.SENT).exists()
