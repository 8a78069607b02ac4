"""Notifications API: my notifications, marking them read, the delivery log, sending again."""

from datetime import datetime

from django.db.models import QuerySet
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from meetops.core.schemas import DbId, Pagination
from meetops.core.web import AuthedRequest
from meetops.notifications import services, unconfirmed
from meetops.notifications.models import (
    DeliveryAttempt,
    Notification,
    OutboxMessage,
    WebhookEndpoint,
)
from meetops.notifications.models import Status as MessageStatus
from meetops.notifications.selectors import (
    deliveries_for,
    get_delivery_for_user,
    get_notification_for_user,
    get_webhook_for_user,
    notifications_of,
    webhook_endpoints_for,
)

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    url: str
    meeting_id: DbId | None
    created_at: datetime
    read_at: datetime | None


class NotificationFilter(Schema):
    unread: bool = False


class ReadAllOut(Schema):
    updated: int


class AttemptOut(Schema):
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    response_code: str
    error: str
    worker: str


class DeliveryOut(Schema):
    id: int
    channel: str
    event: str
    recipient: str
    meeting_id: DbId | None
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str
    created_at: datetime
    attempts_log: list[AttemptOut]

    @staticmethod
    def resolve_recipient(obj: OutboxMessage) -> str:
        return obj.recipient_label

    @staticmethod
    def resolve_attempts_log(obj: OutboxMessage) -> list[DeliveryAttempt]:
        return list(obj.attempts_log.all())


class DeliveryFilter(Schema):
    meeting_id: DbId | None = None
    status: MessageStatus | None = None
    channel: str | None = None


class ResendAllIn(Schema):
    meeting_id: DbId | None = None


class DeliveryQueuedOut(Schema):
    queued: int


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pagination)
def list_notifications(
    request: AuthedRequest, filters: Query[NotificationFilter]
) -> QuerySet[Notification]:
    return notifications_of(request.user, unread=filters.unread)


@router.post("/notifications/read-all", response=ReadAllOut)
def read_all(request: AuthedRequest) -> dict[str, int]:
    return {"updated": services.mark_all_read(actor=request.user)}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read_notification(request: AuthedRequest, notification_id: int) -> Notification:
    notification = get_notification_for_user(request.user, notification_id)
    return services.mark_read(notification, actor=request.user)


@router.get("/deliveries", response=list[DeliveryOut])
@router.get(
    "/notifications/deliveries",
    response=list[DeliveryOut],
    operation_id="list_notification_deliveries",
    summary="List deliveries (the same as /deliveries)",
)
@paginate(Pagination)
def list_deliveries(
    request: AuthedRequest, filters: Query[DeliveryFilter]
) -> QuerySet[OutboxMessage]:
    qs = deliveries_for(request.user, meeting_id=filters.meeting_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs.prefetch_related("attempts_log")


@router.post("/notifications/messages/resend-unconfirmed", response={202: DeliveryQueuedOut})
def resend_unconfirmed(request: AuthedRequest, body: ResendAllIn) -> Status:
    """Queue every unconfirmed message the caller may see (of one meeting if given) again."""
    qs = deliveries_for(request.user, meeting_id=body.meeting_id)
    return Status(202, {"queued": unconfirmed.resend_all(qs, actor=request.user)})


@router.post("/notifications/messages/{message_id}/resend", response={202: DeliveryOut})
def resend_message(request: AuthedRequest, message_id: int) -> Status:
    """Queue an unconfirmed message again, with the same Message-ID (422 not_unconfirmed otherwise)."""
    message = get_delivery_for_user(request.user, message_id)
    return Status(202, unconfirmed.resend_message(message, actor=request.user))


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    enabled: bool
    secret_hint: str

    @staticmethod
    def resolve_url(obj: WebhookEndpoint) -> str:
        return obj.masked_url

    @staticmethod
    def resolve_secret_hint(obj: WebhookEndpoint) -> str:
        return obj.masked_secret


class WebhookCreatedOut(WebhookOut):
    secret: str  # the signing secret, in this answer only


class WebhookIn(Schema):
    name: str
    url: str
    events: list[str] = []
    enabled: bool = True


class WebhookPatch(Schema):
    name: str | None = None
    url: str | None = None
    events: list[str] | None = None
    enabled: bool | None = None


@router.get("/notifications/webhooks", response=list[WebhookOut])
def list_webhooks(request: AuthedRequest) -> QuerySet[WebhookEndpoint]:
    """Outgoing webhooks (administrators). Addresses and secrets are masked."""
    return webhook_endpoints_for(request.user)


@router.post("/notifications/webhooks", response={201: WebhookCreatedOut})
def create_webhook(request: AuthedRequest, body: WebhookIn) -> Status:
    """Create an outgoing webhook; the answer holds its signing secret, shown this once."""
    hook, _secret = services.save_webhook_endpoint(None, actor=request.user, **body.dict())
    return Status(201, hook)  # WebhookCreatedOut reads the new secret from the row, this once


@router.patch("/notifications/webhooks/{webhook_id}", response=WebhookOut)
def update_webhook(request: AuthedRequest, webhook_id: int, body: WebhookPatch) -> WebhookEndpoint:
    hook = get_webhook_for_user(request.user, webhook_id)
    fields = body.dict(exclude_unset=True)
    return services.save_webhook_endpoint(hook, actor=request.user, **fields)[0]


@router.post("/notifications/webhooks/{webhook_id}/test", response={202: DeliveryQueuedOut})
def test_webhook(request: AuthedRequest, webhook_id: int) -> Status:
    """Queue a signed test POST; its result appears in the delivery log."""
    hook = get_webhook_for_user(request.user, webhook_id)
    services.send_test_webhook(hook, actor=request.user)
    return Status(202, {"queued": 1})
