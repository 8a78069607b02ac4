"""Running the meeting in the room: the live session and item timings (P3.4, P3.5),
support tickets (P3.6, P3.7), questions from the floor (P3.8) and the release of
materials with who opened them (P3.3).

The agenda's own rows are never changed here: timings, questions and openings
point at agenda items.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_WARN_SECONDS = 120


class LiveState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class LiveSession(models.Model):
    """One per meeting: where the meeting stands in the room. The row every console write locks.

    `version` grows with every change; a console sends the version it showed, so two
    devices pressing "next" at once advance one item, not two.
    """

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="live_session"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=LiveState.choices, default=LiveState.NOT_STARTED
    )
    current_item = models.ForeignKey(
        "agenda.AgendaItem",
        verbose_name=_("current item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("actual start"), null=True, blank=True)
    ended_at = models.DateTimeField(_("actual end"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    warn_seconds = models.PositiveIntegerField(
        _("warning before the end (seconds)"), default=DEFAULT_WARN_SECONDS
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="live_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.meeting)


class ItemTiming(models.Model):
    """The actual start and end of one agenda item, and the time it stood paused."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="item_timings"
    )
    item = models.OneToOneField(
        "agenda.AgendaItem", on_delete=models.CASCADE, related_name="timing"
    )
    planned_minutes = models.PositiveIntegerField(_("planned minutes"))
    started_at = models.DateTimeField(_("actual start"))
    ended_at = models.DateTimeField(_("actual end"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("paused (seconds)"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("item timing")
        verbose_name_plural = _("item timings")
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="item_timing_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.item)


class TicketCategory(models.TextChoices):
    SOUND = "sound", _("Sound")
    PROJECTION = "projection", _("Projection")
    NETWORK = "network", _("Network")
    POWER = "power", _("Power")
    SECURITY = "security", pgettext_lazy("support", "Security")
    OTHER = "other", pgettext_lazy("support", "Other")


class TicketStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("ticket", "Open")
    ACKNOWLEDGED = "acknowledged", _("On the way")
    RESOLVED = "resolved", _("Resolved")


class SupportTicket(models.Model):
    """A problem in the room reported during the meeting (P3.6; security incidents, P3.7)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="support_tickets"
    )
    category = models.CharField(_("category"), max_length=12, choices=TicketCategory.choices)
    room = models.CharField(_("room"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.room}"

    @property
    def response_seconds(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return int((self.acknowledged_at - self.reported_at).total_seconds())

    @property
    def resolution_seconds(self) -> int | None:
        if self.resolved_at is None:
            return None
        return int((self.resolved_at - self.reported_at).total_seconds())


class QuestionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("question", "Open")
    ANSWERED = "answered", pgettext_lazy("live", "Answered")


class Question(models.Model):
    """A question or comment from the floor on an agenda item (P3.8).

    `anonymous` hides the author from other participants; the author is always recorded.
    """

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="questions"
    )
    item = models.ForeignKey(
        "agenda.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous = models.BooleanField(_("anonymous to others"), default=False)
    text = models.CharField(_("question or comment"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    created_at = models.DateTimeField(_("asked"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.user_id}"


class MaterialsRelease(models.Model):
    """When the meeting's materials reach its participants (P3.3): now, or at a chosen moment.

    `announced_at` is set once participants were told (by the service, or by the
    worker's job for a release in the future).
    """

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="materials_release"
    )
    release_at = models.DateTimeField(_("available from"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    announced_at = models.DateTimeField(_("participants told"), null=True, blank=True)
    note = models.CharField(_("note to participants"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("materials release")
        verbose_name_plural = _("materials releases")

    def __str__(self) -> str:
        return str(self.meeting)


class MaterialOpening(models.Model):
    """A person opened an item's materials: first time and how often."""

    item = models.ForeignKey("agenda.AgendaItem", on_delete=models.CASCADE, related_name="openings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_opened_at = models.DateTimeField()
    last_opened_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="one_opening_row_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.user_id}"
