"""Invitations, answers (RSVP), substitutes, templates, calendar state, public registration, groups."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    """An unguessable URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


SHORT_CODE_DIGITS = 6


def new_short_codes(taken: Iterable[str], count: int) -> list[str]:
    """`count` random six-digit codes, distinct from each other and from `taken` (the meeting's).

    A short code is typed at the desk, so it is unique only within its meeting; guessing is
    held back by the desk's limit on wrong codes (`attendance.services.sign_in_by_code`).
    """
    used = set(taken)
    codes: list[str] = []
    while len(codes) < count:
        code = f"{secrets.randbelow(10**SHORT_CODE_DIGITS):0{SHORT_CODE_DIGITS}d}"
        if code not in used:
            used.add(code)
            codes.append(code)
    return codes


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    ZH_HANT = "zh-hant", "繁體中文"
    EN = "en", "English"


class InvitationTemplate(models.Model):
    """The invitation text for a meeting kind (or every kind) in one language.

    Subject and body are plain text with `{{ placeholder }}` fields from an
    allow-list (see `placeholders.py`); they are never run as Django templates.
    """

    kind = models.ForeignKey(
        "meetings.MeetingKind",
        verbose_name=_("meeting kind"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitation_templates",
        help_text=_("Empty: used for every kind without a template of its own."),
    )
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation template")
        verbose_name_plural = _("invitation templates")
        ordering = ["kind_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=Q(kind__isnull=False),
                name="template_per_kind_language",
            ),
            models.UniqueConstraint(
                fields=["language"],
                condition=Q(kind__isnull=True),
                name="default_template_per_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind or _('every kind')} · {self.language}"


class InvitationSettings(models.Model):
    """Per meeting: its calendar identity, the answer deadline, public registration."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="invitation_settings"
    )
    ical_uid = models.CharField(max_length=200, unique=True)
    ical_sequence = models.PositiveIntegerField(default=0)
    rsvp_deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_token)
    registration_open = models.BooleanField(_("public registration open"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    deadline_notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation settings")
        verbose_name_plural = _("invitation settings")

    def __str__(self) -> str:
        return str(self.meeting)


class Response(models.TextChoices):
    """Answers to an invitation. The codes are part of the API contract."""

    NONE = "", _("No answer yet")
    ACCEPT = "accept", _("Attending")
    DECLINE = "decline", _("Not attending")
    SUBSTITUTE = "substitute", _("Sending a substitute")


class SubstituteStatus(models.TextChoices):
    NONE = "", _("None")
    PENDING = "pending", _("Awaiting the organiser")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class Invitation(models.Model):
    """One participant's invitation: the personal link, the answer, a proposed substitute."""

    participant = models.OneToOneField(
        "meetings.Participant", on_delete=models.CASCADE, related_name="invitation"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    checkin_code = models.CharField(max_length=64, unique=True, default=new_token)
    # Six digits the desk can type when there is no QR to scan (unique within the meeting).
    short_code = models.CharField(_("short sign-in code"), max_length=6, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    first_sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(
        _("answer"), max_length=12, choices=Response.choices, blank=True, default=""
    )
    reason = models.TextField(_("reason"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    substitute_name = models.CharField(_("substitute's name"), max_length=150, blank=True)
    substitute_email = models.EmailField(_("substitute's e-mail"), blank=True)
    substitute_phone = models.CharField(_("substitute's phone"), max_length=40, blank=True)
    substitute_title = models.CharField(_("substitute's job title"), max_length=150, blank=True)
    substitute_status = models.CharField(
        max_length=10, choices=SubstituteStatus.choices, blank=True, default=""
    )
    substitute_decided_at = models.DateTimeField(null=True, blank=True)
    # Who accepted or refused the substitute: told to an organiser who presses a card later.
    substitute_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_count = models.PositiveIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["meeting", "response"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "short_code"],
                condition=~Q(short_code=""),
                name="short_code_once_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.get_response_display()}"

    @property
    def sent(self) -> bool:
        return self.first_sent_at is not None

    @property
    def short_code_display(self) -> str:
        """ "123 456": easier to read out at the desk."""
        code = self.short_code
        return f"{code[:3]} {code[3:]}" if code else ""


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class PublicRegistration(models.Model):
    """Someone who registered on the public page of a public meeting (P2.7)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    participant = models.OneToOneField(
        "meetings.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(status="cancelled"),
                name="register_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_status_display()}"


class SavedGroup(models.Model):
    """A named list of people an organiser invites again and again."""

    name = models.CharField(_("name"), max_length=150)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_groups"
    )
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    contacts = models.ManyToManyField("people.ExternalContact", blank=True, related_name="+")
    shared = models.BooleanField(_("shared with every organiser"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved group")
        verbose_name_plural = _("saved groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """A user's personal calendar subscription: the token in the feed URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class ReplyOutcome(models.TextChoices):
    """What became of a calendar reply (iMIP REPLY) received by mail."""

    APPLIED = "applied", _("Answer recorded")
    UNCHANGED = "unchanged", _("Same as the answer already recorded")
    NOTED = "noted", _("Noted, no answer recorded")
    REFUSED = "refused", _("Refused")
    MALFORMED = "malformed", _("Not a calendar reply")


# The PARTSTAT values a calendar reply carries (RFC 5545 3.2.12), as the organiser reads them.
PARTSTAT_LABELS = {
    "ACCEPTED": _("Accepted"),
    "DECLINED": _("Declined"),
    "TENTATIVE": _("Tentative"),
    "DELEGATED": _("Delegated"),
    "NEEDS-ACTION": _("Needs action"),
}

# Why a reply was noted or refused (`CalendarReply.code`), as the organiser reads it.
REPLY_CODE_LABELS = {
    "tentative": _("Tentative: the invitation stays open and is marked “maybe”"),
    "delegation_by_mail": _(
        "Delegation is not taken by mail: a substitute is proposed on the personal link"
    ),
    "unknown_answer": _("An answer MeetOps does not know"),
    "unknown_recipient": _("Sent to no invitation’s reply address (or a withdrawn one)"),
    "unknown_event": _("Not this meeting’s calendar entry"),
    "stale_reply": _("Answers an older version of the invitation"),
    "attendee_mismatch": _("The attendee is not the invited person"),
    "rsvp_closed": _("The meeting no longer takes answers"),
    "deadline_passed": _("The deadline for answers had passed"),
    "not_calendar": _("No calendar in the mail"),
    "unreadable_mail": _("The mail could not be read"),
    "unreadable_calendar": _("The calendar could not be read"),
    "not_reply": _("A calendar, but not a reply"),
    "not_one_event": _("Not exactly one event"),
    "not_one_attendee": _("Not exactly one attendee"),
}


class CalendarReply(models.Model):
    """One mail received at the reply address: the log of calendar replies (ADR 0020).

    `key` (the Message-ID, else the message's digest) is unique, so a reply that
    arrives twice (two receiving paths, a server's retry) is applied once.
    """

    key = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=300, blank=True)
    digest = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10)
    sender = models.CharField(max_length=300, blank=True)
    recipient = models.CharField(max_length=300, blank=True)
    attendee = models.CharField(max_length=300, blank=True)
    partstat = models.CharField(max_length=20, blank=True)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="mail_replies"
    )
    outcome = models.CharField(max_length=10, choices=ReplyOutcome.choices)
    code = models.CharField(max_length=40, blank=True)
    # Later arrivals of the same mail (a retry, the other receiving path): counted, not applied.
    copies = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("calendar reply")
        verbose_name_plural = _("calendar replies")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.attendee or self.sender} · {self.get_outcome_display()}"

    @property
    def partstat_label(self) -> str:
        return str(PARTSTAT_LABELS.get(self.partstat, self.partstat))

    @property
    def code_label(self) -> str:
        return str(REPLY_CODE_LABELS.get(self.code, self.code))
