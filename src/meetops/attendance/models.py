"""Sign-in at the meeting (P3.1): who arrived, when, how, and the desk's settings per meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_GRACE_MINUTES = 5
DEFAULT_OPENS_MINUTES = 60


class Method(models.TextChoices):
    """How a sign-in was taken. The codes are part of the API contract."""

    QR_SCAN = "qr_scan", _("QR code scanned")
    DESK_MANUAL = "desk_manual", _("At the desk")
    SELF_LINK = "self_link", _("Self sign-in")
    IMPORT = "import", _("Paper sheet")


class DeskSettings(models.Model):
    """Per meeting: when sign-in opens, when someone counts as late, whether people may sign themselves in."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="desk_settings"
    )
    self_signin = models.BooleanField(_("participants may sign themselves in"), default=False)
    grace_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes past the start)"), default=DEFAULT_GRACE_MINUTES
    )
    opens_minutes = models.PositiveSmallIntegerField(
        _("sign-in opens (minutes before the start)"), default=DEFAULT_OPENS_MINUTES
    )

    class Meta:
        verbose_name = _("sign-in settings")
        verbose_name_plural = _("sign-in settings")

    def __str__(self) -> str:
        return str(self.meeting)


class SignIn(models.Model):
    """One participant's arrival. At most one live sign-in per participant; an undone one stays as history."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="signins"
    )
    participant = models.ForeignKey(
        "meetings.Participant", on_delete=models.CASCADE, related_name="signins"
    )
    signed_in_at = models.DateTimeField(_("signed in at"))
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late = models.BooleanField(_("late"), default=False)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    substitute_for = models.ForeignKey(
        "meetings.Participant",
        verbose_name=_("attending for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.CharField(_("reason for undoing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["signed_in_at", "id"]
        constraints = [
            # Concurrent scans of one code can never leave two live sign-ins.
            models.UniqueConstraint(
                fields=["meeting", "participant"],
                condition=Q(undone_at__isnull=True),
                name="one_live_signin_per_participant",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "signed_in_at"])]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.signed_in_at:%Y-%m-%d %H:%M}"

    @property
    def live(self) -> bool:
        return self.undone_at is None


class ShortCodeMiss(models.Model):
    """A six-digit code typed at the desk that named nobody on the meeting. Counted per person
    and meeting to hold back guessing (`services.sign_in_by_code`); kept as evidence."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["meeting", "by", "at"], name="short_code_miss_recent")]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.by_id} · {self.at:%Y-%m-%d %H:%M}"
