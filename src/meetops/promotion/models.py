"""Announcements of a meeting (通知/宣传, P2.7) and the people each one was sent to.

An announcement names its audiences (whole departments with the departments below them,
saved groups, the public page of a public meeting) and the channels it goes out on. Each
person it reached has one `Recipient` row with a personal token: the tracked link in their
message (`/notices/go/<token>`), so an opening is counted per person without a pixel.
Delivery itself is the outbox's (`notifications.OutboxMessage`, event
`promotion.announcement`, its `url` under `/notices/<id>/`); nothing is copied here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetops.notifications.models import Channel


def new_token() -> str:
    """An unguessable URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


class AnnouncementChannel(models.TextChoices):
    """The channels an organiser may choose; robots stand for every robot of the audiences."""

    INAPP = Channel.INAPP.value, _("In-app bell")
    EMAIL = Channel.EMAIL.value, _("E-mail")
    ROBOTS = "robots", _("Group robots")
    IM = Channel.IM.value, _("Work IM")


class Announcement(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    departments = models.ManyToManyField(
        "people.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    groups = models.ManyToManyField(
        "invitations.SavedGroup", verbose_name=_("groups"), blank=True, related_name="+"
    )
    public_page = models.BooleanField(_("on the public page"), default=False)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # First publication: what "registered after the announcement" is measured from.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    times_published = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def link_prefix(self) -> str:
        """Every outbox message of this announcement has a `url` starting with this."""
        return f"/notices/{self.pk}/"


class Recipient(models.Model):
    """One person an announcement was sent to (once, however often it is published)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcements_received"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    # The audience that brought them in: "department:<id>" or "group:<id>".
    via = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement recipient")
        verbose_name_plural = _("announcement recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="one_recipient_per_announcement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.user_id}"

    @property
    def link(self) -> str:
        return f"{self.announcement.link_prefix}go/{self.token}"
