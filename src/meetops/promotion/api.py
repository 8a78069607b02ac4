"""Announcements API: a meeting's announcements, publishing one, and one with its reach.

GET  /api/v1/meetings/{id}/announcements   the meeting's announcements (its managers)
POST /api/v1/meetings/{id}/announcements   publish one (201)
GET  /api/v1/announcements/{id}            one announcement with its reach
"""

from datetime import datetime
from typing import TypeVar

from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.schemas import DbId, Input
from meetops.core.web import AuthedRequest
from meetops.invitations.models import SavedGroup
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import Department
from meetops.promotion import selectors, services
from meetops.promotion.models import Announcement
from meetops.promotion.permissions import can_read_reach

router = Router(tags=["promotion"])


class ChannelReachOut(Schema):
    channel: str
    sent: int
    waiting: int
    failed: int


class ReachOut(Schema):
    recipients: int = Field(..., description="People of the audiences a message was queued for")
    delivered: int = Field(..., description="Messages the outbox marked sent, every channel")
    delivered_people: int = Field(..., description="Distinct people with a message sent")
    channels: list[ChannelReachOut]
    opened: int = Field(..., description="Followed their personal link or read the bell entry")
    registered: int = Field(
        ..., description="Accepted the invitation, or registered publicly, after it went out"
    )
    public_registrations: int
    reached: int = Field(..., description="Distinct people who opened or registered")


class AnnouncementOut(Schema):
    id: int
    meeting: int
    title: str
    text: str
    departments: list[int]
    groups: list[int]
    public_page: bool
    channels: list[str]
    published_at: datetime | None
    times_published: int


class AnnouncementDetail(AnnouncementOut):
    reach: ReachOut


class AnnouncementIn(Input):
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=5000)
    departments: list[DbId] = Field(default_factory=list, max_length=500)
    groups: list[DbId] = Field(default_factory=list, max_length=200)
    public_page: bool = False
    channels: list[str] = Field(
        default_factory=list,
        max_length=4,
        description='Any of "inapp", "email", "robots", "im" (work IM, when configured)',
    )


def _out(a: Announcement) -> dict[str, object]:
    return {
        "id": a.pk,
        "meeting": a.meeting_id,
        "title": a.title,
        "text": a.text,
        "departments": sorted(d.pk for d in a.departments.all()),
        "groups": sorted(g.pk for g in a.groups.all()),
        "public_page": a.public_page,
        "channels": a.channels,
        "published_at": a.published_at,
        "times_published": a.times_published,
    }


def _managed_meeting(request: AuthedRequest, meeting_id: int) -> Meeting:
    meeting = get_meeting_for_user(request.user, meeting_id)
    if not can_read_reach(request.user, meeting):
        raise PermissionDenied()
    return meeting


M = TypeVar("M", Department, SavedGroup)


def _pick(model: type[M], ids: list[int], field: str) -> list[M]:
    found = {o.pk: o for o in model.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(gettext("Unknown reference."), "unknown_reference", field=field)
    return [found[i] for i in dict.fromkeys(ids)]


@router.get(
    "/meetings/{int:meeting_id}/announcements",
    response=list[AnnouncementOut],
    summary="The meeting's announcements (its managers)",
)
def list_announcements(request: AuthedRequest, meeting_id: int) -> list[dict[str, object]]:
    meeting = _managed_meeting(request, meeting_id)
    return [_out(a) for a in selectors.announcements_of(meeting)]


@router.post(
    "/meetings/{int:meeting_id}/announcements",
    response={201: AnnouncementDetail},
    summary="Publish an announcement to departments, groups and the public page",
)
def publish(request: AuthedRequest, meeting_id: int, payload: AnnouncementIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id)
    made = services.publish_announcement(
        meeting,
        actor=request.user,
        title=payload.title,
        text=payload.text,
        departments=_pick(Department, payload.departments, "departments"),
        groups=_pick(SavedGroup, payload.groups, "groups"),
        public_page=payload.public_page,
        channels=payload.channels,
    )
    return Status(201, {**_out(made), "reach": selectors.reach_of(made).as_dict()})


@router.get(
    "/announcements/{int:announcement_id}",
    response=AnnouncementDetail,
    summary="One announcement with its reach: delivered, opened, registered",
)
def read_announcement(request: AuthedRequest, announcement_id: int) -> dict[str, object]:
    item = selectors.get_announcement_for_user(request.user, announcement_id, manage=True)
    return {**_out(item), "reach": selectors.reach_of(item).as_dict()}
