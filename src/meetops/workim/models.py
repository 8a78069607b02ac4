"""Work IM: settings saved on the admin page, people's choice to get messages there, and the
one-time values that keep sign-in states and callbacks from being used twice.

A setting saved here is used only while its environment variable is unset (config.py);
secrets are kept encrypted (Fernet, key derived from SECRET_KEY) and never shown again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlatformConfig(models.Model):
    """The admin page's values for one platform: {field: text}, secrets encrypted."""

    platform = models.CharField(_("platform"), max_length=20, unique=True)
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("work IM platform settings")
        verbose_name_plural = _("work IM platform settings")

    def __str__(self) -> str:
        return self.platform


class ImPreference(models.Model):
    """A person's choice about work IM messages (no row: they get them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="im_preference"
    )
    receive = models.BooleanField(_("receive notifications in work IM"), default=True)
    # Their action items as to-dos on the platform (todos.py); no row: yes.
    todos = models.BooleanField(_("action items in the work IM to-do list"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work IM preference")
        verbose_name_plural = _("work IM preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.receive}"


class Nonce(models.Model):
    """A value that may be used once before it expires: a sign-in `state` (kept here, not in
    the session, because the WeCom desktop client comes back in a new browser session) or a
    callback's signature (a replayed callback finds it taken). In the database so that every
    process sees it."""

    kind = models.CharField(max_length=20)
    value = models.CharField(max_length=200)
    data = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="workim_nonce_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value[:12]}"


class PlatformCopy(models.Model):
    """Something MeetOps keeps on a platform for one of its own rows (a to-do, a calendar
    event), synced by the outbox worker (syncs.py).

    `busy_until` is the lease of the worker syncing it (core.leases): two workers never talk
    to the platform about the same copy at once. `synced_at` is when the platform last
    answered. What the platform holds is stored with `remember` the moment it answers.
    """

    busy_until = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def remember(self, **fields: Any) -> None:
        """Store `fields` (and `synced_at`, now unless given) on this object and in its row at
        once, in their own commit: a failure later in the same sync must not forget what the
        platform already holds (a retry would otherwise create it twice)."""
        values = {"synced_at": timezone.now(), **fields}
        type(self)._default_manager.filter(pk=self.pk).update(**values)
        for name, value in values.items():
            setattr(self, name, value)


class ImTodo(PlatformCopy):
    """The to-do MeetOps keeps on a person's work IM platform for one action item (todos.py).

    One row per item and person: a retry finds `task_id` and updates the to-do rather than
    creating a second one. `title`, `due_date` and `done` are what the platform was last told,
    so a sync with nothing new makes no call.
    """

    action = models.ForeignKey(
        "minutes.ActionItem", on_delete=models.CASCADE, related_name="im_todos"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="im_todos"
    )
    platform = models.CharField(_("platform"), max_length=20)
    # Whom the platform's to-do API knows the person as (DingTalk: the unionId).
    assignee = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(_("task id"), max_length=200, blank=True)
    title = models.CharField(max_length=300, blank=True)
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work IM to-do")
        verbose_name_plural = _("work IM to-dos")
        constraints = [
            models.UniqueConstraint(fields=["action", "user"], name="workim_todo_once"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.task_id or '-'} ({self.action_id}/{self.user_id})"


class CalendarEvent(PlatformCopy):
    """The event that stands for one meeting in one platform's calendar (issue 12 item 6).

    The platform's event id is stored the moment the platform answers, so a retried or later
    sync updates this event and never makes a second one. `attendees` are the platform user
    ids the event was last given, `fingerprint` the title, time, place and text it last
    showed: a sync that finds both unchanged calls nothing. `generation` grows when the event is
    deleted, so a meeting that comes back gets a new event (and a new idempotency key).
    """

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="im_calendar_events"
    )
    platform = models.CharField(max_length=20)
    calendar_id = models.CharField(max_length=200, blank=True)
    event_id = models.CharField(max_length=200, blank=True)
    attendees = models.JSONField(default=list, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    generation = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("work IM calendar event")
        verbose_name_plural = _("work IM calendar events")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "platform"], name="workim_one_calendar_event_per_platform"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.event_id or '-'} (meeting {self.meeting_id})"
