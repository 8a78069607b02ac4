"""Reads: every queryset is already limited to what the user may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from meetops.core.errors import NotFound, PermissionDenied
from meetops.meetings.models import MeetingRole, Participant, holding
from meetops.meetings.selectors import get_meeting_for_user
from meetops.notifications.models import (
    Notification,
    OutboxMessage,
    RobotEndpoint,
    WebhookEndpoint,
)
from meetops.notifications.permissions import (
    can_manage_endpoints,
    can_see_delivery,
    can_see_delivery_log,
)
from meetops.people.models import User


def notifications_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    return qs.filter(read_at__isnull=True) if unread else qs


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def get_notification_for_user(user: User, pk: int) -> Notification:
    """Another person's notification is "not found", like a missing one."""
    notification = (
        Notification.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    )
    if notification is None:
        raise NotFound()
    return notification


def deliveries_visible_to(user: User) -> QuerySet[OutboxMessage]:
    """Admins see every message; organisers those of the meetings they manage."""
    if not can_see_delivery_log(user):
        raise PermissionDenied()
    qs = OutboxMessage.objects.select_related("meeting", "user", "robot", "webhook").order_by("-id")
    if user.is_admin:
        return qs
    manages = Exists(
        Participant.objects.filter(
            holding(MeetingRole.ORGANISER), meeting=OuterRef("meeting_id"), user=user
        )
    )
    return qs.filter(Q(meeting__created_by=user) | Q(manages))


def deliveries_for(user: User, *, meeting_id: int | None = None) -> QuerySet[OutboxMessage]:
    """The delivery log, of one meeting (for whoever manages it: 404/403 otherwise) or of all the user may see."""
    if meeting_id is None:
        return deliveries_visible_to(user)

    meeting = get_meeting_for_user(user, meeting_id, write=True)
    return (
        OutboxMessage.objects.select_related("meeting", "user", "robot", "webhook")
        .filter(meeting=meeting)
        .order_by("-id")
    )


def get_delivery_for_user(user: User, pk: int) -> OutboxMessage:
    """One message of the delivery log: "not found" for anyone who may not see it, missing or not."""
    message = (
        OutboxMessage.objects.select_related("meeting", "user", "robot", "webhook")
        .filter(pk=pk)
        .first()
    )
    if message is None or not can_see_delivery(user, message):
        raise NotFound()
    return message


def robot_endpoints_for(user: User) -> QuerySet[RobotEndpoint]:
    if not can_manage_endpoints(user):
        raise PermissionDenied()
    return RobotEndpoint.objects.select_related("department", "meeting").order_by("name")


def get_robot_for_user(user: User, pk: int) -> RobotEndpoint:
    robot = robot_endpoints_for(user).filter(pk=pk).first()
    if robot is None:
        raise NotFound()
    return robot


def webhook_endpoints_for(user: User) -> QuerySet[WebhookEndpoint]:
    if not can_manage_endpoints(user):
        raise PermissionDenied()
    return WebhookEndpoint.objects.order_by("name")


def get_webhook_for_user(user: User, pk: int) -> WebhookEndpoint:
    hook = webhook_endpoints_for(user).filter(pk=pk).first()
    if hook is None:
        raise NotFound()
    return hook
