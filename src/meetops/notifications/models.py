"""The outbox and everything that describes a delivery.

`OutboxMessage` is written in the same transaction as the change that caused
it; a worker claims it by compare-and-set, sends it and records a
`DeliveryAttempt`. See docs/adr/0007-outbox-and-worker.md for the life cycle.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    INAPP = "inapp", _("In-app")
    DINGTALK = "dingtalk", _("DingTalk robot")
    WECOM = "wecom", _("WeCom robot")
    FEISHU = "feishu", _("Feishu robot")
    WEBHOOK = "webhook", _("Webhook")
    # A personal message on the work IM platform the person's account is linked to
    # (WeCom application message, DingTalk work notification, Feishu message): notifications/im.py.
    IM = "im", _("Work IM")


PERSONAL_CHANNELS = (Channel.EMAIL, Channel.INAPP)
ROBOT_CHANNELS = (Channel.DINGTALK, Channel.WECOM, Channel.FEISHU)


class Lane(models.TextChoices):
    """Which workers take a message: urgent ones never wait behind a bulk backlog (lanes.py)."""

    URGENT = "urgent", _("Urgent")
    BULK = "bulk", _("Bulk")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Given up")
    # Handed over, then no answer (the worker died, or the connection broke after
    # the final "."): it may or may not have arrived. Waits for a person to send
    # it again (MEETOPS_OUTBOX_UNCONFIRMED=hold); see docs/adr/0008.
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")


def mask_url(url: str) -> str:
    """An address with its credential part hidden: the query, else the last path segment."""
    base, sep, _query = url.partition("?")
    if sep:
        return f"{base}?…"
    head, _slash, tail = base.rpartition("/")
    return f"{head}/{tail[:4]}…" if tail else base


class RobotEndpoint(models.Model):
    """A group robot in DingTalk, WeCom or Feishu, owned by a department or one meeting.

    `url` holds the webhook address with its token (a bearer credential: never
    shown in full); `secret` is the signing secret (DingTalk `SEC…`, Feishu).
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("service"),
        max_length=10,
        choices=[(c.value, c.label) for c in ROBOT_CHANNELS],
    )
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="robot_endpoints",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="robot_endpoints",
    )
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Empty means every event.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    rate_per_minute = models.PositiveIntegerField(_("messages per minute"), default=20)
    # Sending state, written only by the worker holding `busy_until` (a lease).
    busy_until = models.DateTimeField(null=True, blank=True, editable=False)
    recent_sends = models.JSONField(default=list, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("robot endpoint")
        verbose_name_plural = _("robot endpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def masked_url(self) -> str:
        """The webhook address with its token hidden, for pages and logs."""
        return mask_url(self.url)


class WebhookEndpoint(models.Model):
    """Another system that receives events as signed JSON POSTs.

    Header `X-MeetOps-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
    """

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200)
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Empty means every event.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    @property
    def masked_secret(self) -> str:
        """Enough of the signing secret to tell two apart, never enough to use it."""
        return f"{self.secret[:4]}…" if self.secret else ""


class OutboxMessage(models.Model):
    """One message to one recipient on one channel.

    Life cycle: queued → sending (claimed, lease until `claimed_until`) → sent;
    a failure goes back to failed (retried at `next_attempt_at`) or dead.
    `handed_over_at` is the sent marker: set and committed just before the
    last byte of the message leaves (see the ADR), so a worker that dies after
    it is never followed by a second copy.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("event"), max_length=60, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
    )
    address = models.CharField(_("address"), max_length=320, blank=True)
    robot = models.ForeignKey(
        RobotEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    webhook = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    language = models.CharField(max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    html = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # [{"filename", "mimetype", "content_b64"}]: small files only (.ics, a QR code).
    attachments = models.JSONField(default=list, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    lane = models.CharField(_("lane"), max_length=10, choices=Lane.choices, default=Lane.URGENT)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=100, blank=True)
    claim_token = models.CharField(max_length=40, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        help_text=_("The digest message this one was merged into."),
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=Q(status__in=["queued", "failed"]),
            ),
            models.Index(fields=["status", "claimed_until"], name="outbox_status_lease"),
            models.Index(
                fields=["lane", "next_attempt_at"],
                name="outbox_due_lane",
                condition=Q(status__in=["queued", "failed"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["queued", "sending", "sent", "failed", "dead", "unconfirmed"]
                ),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.event} → {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.robot_id:
            return str(self.robot)
        if self.webhook_id:
            return str(self.webhook)
        return str(self.user) if self.user_id else self.address

    @property
    def message_id(self) -> str:
        """The stable RFC 5322 Message-ID: every copy of this message carries the same one."""
        from urllib.parse import urlparse

        host = urlparse(settings.SITE_URL).hostname or "meetops.localhost"
        return f"<{self.uuid}@{host}>"


class DeliveryAttempt(models.Model):
    class Outcome(models.TextChoices):
        STARTED = "started", _("Started")
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Failed, will retry")
        DEAD = "dead", _("Failed permanently")
        DEFERRED = "deferred", _("Deferred (rate limit)")
        INTERRUPTED = "interrupted", _("Worker stopped before sending")
        UNCONFIRMED = "unconfirmed", _("Worker stopped after handing over")

    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="attempts_log"
    )
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.STARTED)
    error = models.TextField(blank=True)
    response_code = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.outcome}"


class Notification(models.Model):
    """An entry under the bell in the top bar."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.OneToOneField(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title


class ChannelPreference(models.Model):
    """The channels a user wants for one event (no row: the event's defaults)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    event = models.CharField(max_length=60)
    channels = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}: {','.join(self.channels)}"
