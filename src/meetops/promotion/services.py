"""Publishing announcements of a meeting (P2.7) through the channels the outbox already has.

Each person of the audiences gets one `Recipient` row (unique per announcement) and one
message per chosen personal channel, carrying their own tracked link; robots of the
audience departments get one message each. Publishing again reaches only people and robots
not reached before: the recipient rows and the outbox's dedupe keys both refuse a second copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.invitations.models import SavedGroup
from meetops.meetings.models import Confidentiality, Meeting, Stage
from meetops.meetings.permissions import can_manage_meeting
from meetops.notifications import services as notify
from meetops.notifications.lanes import BULK, bulk_from
from meetops.notifications.models import ROBOT_CHANNELS, Channel, RobotEndpoint
from meetops.people.models import Department, User
from meetops.promotion import errors
from meetops.promotion.events import ANNOUNCEMENT
from meetops.promotion.models import Announcement, AnnouncementChannel, Recipient
from meetops.promotion.permissions import can_announce
from meetops.promotion.selectors import (
    audience_of,
    available_channels,
    robots_for,
    usable_groups,
)

PERSONAL = (AnnouncementChannel.INAPP, AnnouncementChannel.EMAIL, AnnouncementChannel.IM)
# Meetings no announcement reaches anyone for any more, whatever their end.
GONE = (Stage.CONCLUDED, Stage.FOLLOWING_UP, Stage.CLOSED, Stage.CANCELLED)


@dataclass(frozen=True)
class Content:
    """What an announcement says, to whom and how: the part publishing again may change."""

    title: str
    text: str
    departments: tuple[Department, ...]
    groups: tuple[SavedGroup, ...]
    public_page: bool
    channels: tuple[str, ...]


def _lock(meeting: Meeting) -> Meeting:
    """The meeting afresh, its row alone locked: the guards then judge the stage as it is now
    (a meeting closed or made confidential meanwhile is not announced)."""
    return Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)


def _check(meeting: Meeting, *, actor: User, content: Content) -> Content:
    """Guard clauses shared by publishing and publishing again; the content, cleaned."""
    if not can_announce(actor, meeting):
        if can_manage_meeting(actor, meeting):
            raise errors.cannot_announce()
        raise PermissionDenied()
    title, text = content.title.strip(), content.text.strip()
    if not title:
        raise errors.blank("title")
    if not text:
        raise errors.blank("text")
    offered = {value for value, _label in available_channels()}
    chosen = tuple(dict.fromkeys(content.channels))
    for channel in chosen:
        if channel not in offered:
            raise errors.unknown_channel(channel)
    if not (content.departments or content.groups or content.public_page):
        raise errors.no_audience()
    if (content.departments or content.groups) and not chosen:
        raise errors.no_channel()
    if AnnouncementChannel.IM in chosen and not {"inapp", "email"} & set(chosen):
        # Work IM carries a copy of the bell or e-mail message (notifications/im.py).
        raise errors.im_alone()
    if content.public_page and meeting.confidentiality != Confidentiality.PUBLIC:
        raise errors.not_public()
    allowed = set(usable_groups(actor).values_list("pk", flat=True))
    if any(g.pk not in allowed for g in content.groups):
        raise errors.group_not_usable()
    return replace(content, title=title, text=text, channels=chosen)


def _write(announcement: Announcement, content: Content) -> None:
    announcement.title, announcement.text = content.title, content.text
    announcement.public_page, announcement.channels = content.public_page, list(content.channels)
    if announcement.pk is None:
        announcement.save()
    else:
        announcement.save(update_fields=["title", "text", "public_page", "channels"])
    announcement.departments.set(content.departments)
    announcement.groups.set(content.groups)


def _context(announcement: Announcement, url: str) -> dict[str, Any]:
    return {
        "title": announcement.title,
        "text": announcement.text,
        "meeting": announcement.meeting,
        "url": url,
    }


def _tell(announcement: Announcement, recipients: list[Recipient]) -> str:
    """Queue each recipient's personal messages; returns the announcement's dedupe key, which
    makes a second copy to the same person on the same channel impossible."""
    key = f"promotion.a{announcement.pk}"
    personal = [c for c in announcement.channels if c in PERSONAL]
    lane = BULK if len(recipients) * max(len(personal), 1) >= bulk_from() else None
    if personal:
        for recipient in recipients:
            # One call per person: each message carries that person's own tracked link.
            notify.enqueue(
                event=ANNOUNCEMENT.code,
                recipients=[recipient.user],
                context=_context(announcement, recipient.link),
                meeting=announcement.meeting,
                channels=personal,
                dedupe_key=key,
                lane=lane,
            )
    return key


def _send(announcement: Announcement, *, actor: User) -> int:
    """Queue the messages for people and robots not reached yet; returns the new recipients."""
    departments = list(announcement.departments.all())
    audience = audience_of(departments, list(announcement.groups.all()))
    audience.pop(actor.pk, None)  # the author is not told of their own announcement
    known = set(announcement.recipients.values_list("user_id", flat=True))
    new = [
        Recipient(announcement=announcement, user=user, via=via)
        for pk, (user, via) in audience.items()
        if pk not in known
    ]
    Recipient.objects.bulk_create(new, ignore_conflicts=True)
    key = _tell(announcement, new)
    broadcast = [Channel.WEBHOOK.value]
    robots: list[RobotEndpoint] = []
    if AnnouncementChannel.ROBOTS in announcement.channels:
        broadcast += [c.value for c in ROBOT_CHANNELS]
        robots = robots_for(announcement.meeting, departments)
    notify.enqueue(
        event=ANNOUNCEMENT.code,
        context=_context(announcement, announcement.link_prefix),
        meeting=announcement.meeting,
        channels=broadcast,
        dedupe_key=key,
        robots=robots,
    )
    return len(new)


def _published(announcement: Announcement, *, actor: User, action: str, new: int) -> None:
    now = timezone.now()
    announcement.published_at = announcement.published_at or now
    announcement.last_published_at = now
    announcement.times_published += 1
    announcement.save(update_fields=["published_at", "last_published_at", "times_published"])
    audit.record(
        action,
        announcement.meeting,
        actor=actor,
        data={
            "announcement": announcement.pk,
            "title": announcement.title,
            "departments": sorted(d.pk for d in announcement.departments.all()),
            "groups": sorted(g.pk for g in announcement.groups.all()),
            "public_page": announcement.public_page,
            "channels": announcement.channels,
            "new_recipients": new,
        },
    )


def publish_announcement(
    meeting: Meeting,
    *,
    actor: User,
    title: str,
    text: str,
    departments: Sequence[Department] = (),
    groups: Sequence[SavedGroup] = (),
    public_page: bool = False,
    channels: Sequence[str] = (),
) -> Announcement:
    """Announce the meeting to its audiences on the chosen channels. Managers of a meeting
    that is neither frozen nor confidential; the public page only for a public meeting."""
    asked = Content(title, text, tuple(departments), tuple(groups), public_page, tuple(channels))
    with transaction.atomic():
        meeting = _lock(meeting)
        content = _check(meeting, actor=actor, content=asked)
        announcement = Announcement(meeting=meeting, created_by=actor)
        _write(announcement, content)
        new = _send(announcement, actor=actor)
        _published(announcement, actor=actor, action="promotion.announcement.published", new=new)
    return announcement


def republish_announcement(
    announcement: Announcement,
    *,
    actor: User,
    title: str,
    text: str,
    departments: Sequence[Department] = (),
    groups: Sequence[SavedGroup] = (),
    public_page: bool = False,
    channels: Sequence[str] = (),
) -> Announcement:
    """Publish again with changed text, audiences or channels: only people (and robots) not
    reached before get a message; the text on the notice board and public page changes."""
    asked = Content(title, text, tuple(departments), tuple(groups), public_page, tuple(channels))
    with transaction.atomic():
        meeting = _lock(announcement.meeting)
        content = _check(meeting, actor=actor, content=asked)
        locked = Announcement.objects.select_for_update(of=("self",)).get(pk=announcement.pk)
        locked.meeting = meeting
        _write(locked, content)
        new = _send(locked, actor=actor)
        _published(locked, actor=actor, action="promotion.announcement.republished", new=new)
    return locked


def reach_late_joiner(user: User) -> int:
    """Send `user` the announcements they were not in the audience of when published: of a
    department they (or a department above theirs) joined since, or a group they were added
    to; only for meetings that are still to end and not cancelled or archived, and each
    announcement once (its recipient row, under the announcement's lock). Returns how many
    announcements reached them. Safe to call again: nothing reaches anyone twice."""
    if not user.is_active:
        return 0
    departments = (
        [int(pk) for pk in user.department.path.strip("/").split("/")]
        if (user.department_id and user.department and user.department.path)
        else []
    )
    waiting = (
        Announcement.objects.filter(published_at__isnull=False, meeting__end__gt=timezone.now())
        .exclude(meeting__stage__in=GONE)
        .filter(Q(departments__in=departments) | Q(groups__users=user))
        .exclude(recipients__user=user)
        .exclude(created_by=user)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    reached = 0
    for pk in list(waiting):
        with transaction.atomic():
            locked = (
                Announcement.objects.select_for_update(of=("self",))
                .select_related("meeting")
                .get(pk=pk)
            )
            if locked.recipients.filter(user=user).exists():
                continue  # reached meanwhile: a publication or another change did it
            via = _via(locked, user, departments)
            recipient = Recipient.objects.create(announcement=locked, user=user, via=via)
            _tell(locked, [recipient])
            audit.record(
                "promotion.announcement.reached_later",
                locked.meeting,
                actor=None,
                data={"announcement": locked.pk, "person": user.pk, "via": via},
            )
            reached += 1
    return reached


def _via(announcement: Announcement, user: User, departments: list[int]) -> str:
    """The audience that brings the person in: the nearest chosen department above them (as
    `selectors.audience_of` names it), else the first of their groups."""
    chosen = set(announcement.departments.values_list("pk", flat=True))
    for pk in reversed(departments):
        if pk in chosen:
            return f"department:{pk}"
    group = announcement.groups.filter(users=user).order_by("pk").values_list("pk", flat=True)
    return f"group:{group[0]}"


def record_opening(recipient: Recipient) -> bool:
    """The person followed their link: the first time counts (a conditional update, no lock).
    Not audited: reading a message changes nothing anyone decided."""
    return bool(
        Recipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    )
