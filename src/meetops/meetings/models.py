"""The meeting, its kind and the people on it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.i18n import in_active_language
from meetops.people.names import NameKeys

if TYPE_CHECKING:
    from meetops.people.models import ExternalContact


class Stage(models.TextChoices):
    """Lifecycle stages. The codes are part of the API contract."""

    DRAFT = "draft", _("Draft")
    PREPARING = "preparing", _("Preparing")
    READY = "ready", _("Ready")
    IN_PROGRESS = "in_progress", _("In progress")
    CONCLUDED = "concluded", _("Concluded")
    FOLLOWING_UP = "following_up", _("Following up")
    CLOSED = "closed", _("Closed (archived)")
    CANCELLED = "cancelled", _("Cancelled")


# The one home of "the meeting is frozen": once closed (archived) or cancelled, nothing
# recorded on it changes any more (plan, people, agenda, minutes, budget, risks, ...).
FROZEN_STAGES: frozenset[str] = frozenset({Stage.CLOSED, Stage.CANCELLED})
# A second, wider rule: once the meeting was held (concluded, following up) or frozen it is
# over for planning: rooms are neither booked for it nor offered from the waiting list.
OVER_STAGES: frozenset[str] = FROZEN_STAGES | {Stage.CONCLUDED, Stage.FOLLOWING_UP}


# A third: the meeting has begun (or was held). What was judged before it, such as the readiness
# inspection, stays as it stood at the start; evidence that changes later does not re-judge it.
STARTED_STAGES: frozenset[str] = frozenset(
    {Stage.IN_PROGRESS, Stage.CONCLUDED, Stage.FOLLOWING_UP, Stage.CLOSED}
)


def frozen_q(prefix: str = "") -> Q:
    """Filter for frozen meetings; `prefix` is the path to the meeting (e.g. "meeting__")."""
    return Q(**{f"{prefix}stage__in": FROZEN_STAGES})


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")


class Format(models.TextChoices):
    ONSITE = "onsite", _("On-site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingRole(models.TextChoices):
    """Roles a person holds on one meeting."""

    ORGANISER = "organiser", _("Organiser")
    HOST = "host", _("Host")
    RECORDER = "recorder", _("Recorder (minute-taker)")
    SPEAKER = "speaker", _("Speaker")
    STAFF = "staff", _("Staff")
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer (列席)")


class DutyKind(models.TextChoices):
    """What a person does at the meeting beside their role (a 会务分工). Each kind grants
    capabilities at the meeting: `meetings.permissions.DUTY_CAPABILITIES`, the one place."""

    DESK = "desk", _("Sign-in desk")
    SECURITY = "security", pgettext_lazy("duty", "Security")
    RECORDING = "recording", _("Recording (minutes)")
    LOGISTICS = "logistics", _("Logistics and support")
    TECH = "tech", _("Technical support (sound, video, network)")


class Attendance(models.TextChoices):
    # A context of their own: "Required"/"Optional" on process steps read 必做/选做,
    # on attendance they read 必须参会/可选参会.
    REQUIRED = "required", pgettext_lazy("attendance", "Required")
    OPTIONAL = "optional", pgettext_lazy("attendance", "Optional")


class TranslatedName(models.Model):
    """Admin-editable names in the three interface languages."""

    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_zh_hans, self.name_zh_hant, self.name_en)


class DocumentLanguage(models.TextChoices):
    """The language a meeting's official documents are written in, whoever downloads them."""

    ZH_HANS = "zh-hans", "简体中文"
    ZH_HANT = "zh-hant", "繁體中文"
    EN = "en", "English"


class MeetingKind(TranslatedName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting kind")
        verbose_name_plural = _("meeting kinds")
        ordering = ["order", "code"]


class Meeting(models.Model):
    title = models.CharField(_("title"), max_length=300)
    kind = models.ForeignKey(MeetingKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    goals = models.TextField(_("goals"), blank=True)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("organising department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.ONSITE
    )
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    language = models.CharField(
        _("language of its documents"),
        max_length=10,
        choices=DocumentLanguage.choices,
        blank=True,
        default="",
        help_text=_("Minutes, notices and reports are written in it. Empty: the site's language."),
    )
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), null=True, blank=True
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    process_version = models.ForeignKey(
        "policy.ProcessTemplate",
        verbose_name=_("process version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a field: set by `services.update_meeting` when the time moved, what the other apps
    # said about following it (rooms that could not move), for the page to show the mover.
    reschedule_notes: list[str]

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        """Closed or cancelled: its records no longer change."""
        return self.stage in FROZEN_STAGES

    @property
    def is_over(self) -> bool:
        """Held or frozen: no more rooms are booked for it."""
        return self.stage in OVER_STAGES

    @property
    def has_started(self) -> bool:
        """In progress or held (a cancelled meeting never started)."""
        return self.stage in STARTED_STAGES


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUBSTITUTED = "substituted", _("Replaced by a substitute")


def holding(role: str) -> Q:
    """Participants who hold `role`, as their primary role or a further one."""
    # The JSON text of `extra_roles` holds each role quoted; a quoted search matches one role
    # exactly on SQLite and PostgreSQL alike (JSON containment is PostgreSQL-only).
    return Q(role=role) | Q(extra_roles__icontains=f'"{role}"')


def on_duty(kind: str) -> Q:
    """Participants given a duty of `kind` (quoted search, as in `holding`)."""
    return Q(duty_kinds__icontains=f'"{kind}"')


def only_in(roles: Iterable[str]) -> Q:
    """Participants whose every role is among `roles` (e.g. organisers who do not attend)."""
    return Q(role__in=list(roles)) & Q(extra_roles=[])


class Participant(NameKeys, models.Model):
    """A person on a meeting, once, with one or more roles (`role` is the primary one, the
    others are in `extra_roles`, e.g. 主持人 and 参会人员).

    The person is an account holder (`user`), an external contact (`contact`),
    or a guest known only by the snapshot fields (imported lists, the API,
    public registrations). The snapshot (name, e-mail, phone, organisation,
    title) is filled for every participant when added, so lists, exports and
    personalised mails need no joins and keep what was true when invited.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
    )
    contact = models.ForeignKey(
        "people.ExternalContact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MeetingRole.choices, default=MeetingRole.PARTICIPANT
    )
    # Further roles of the same person on this meeting (MeetingRole values, without `role`).
    extra_roles = models.JSONField(_("further roles"), default=list, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.REQUIRED
    )
    # The kinds of duty (DutyKind values) decide what the person may do; `duties` is the note.
    duty_kinds = models.JSONField(_("duty kinds"), default=list, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(_("department or company"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    seat_preference = models.CharField(_("seat preference"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.ACTIVE,
    )
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("substitute for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutes",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "id"]
        indexes = [
            models.Index(fields=["meeting", "name_pinyin"], name="participant_name_pinyin"),
            models.Index(fields=["meeting", "name_strokes"], name="participant_name_strokes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(user__isnull=False, contact__isnull=False)
                & (Q(user__isnull=False) | Q(contact__isnull=False) | ~Q(name="")),
                name="participant_is_one_person",
            ),
            # One person, one row: further roles go in `extra_roles`.
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="user_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(contact__isnull=False),
                name="contact_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(user__isnull=True, contact__isnull=True) & ~Q(email=""),
                name="guest_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} · {self.get_role_display()}"

    @property
    def duty_kind_labels(self) -> list[str]:
        """The kinds of duty as the person reads them, in the order of `DutyKind`."""
        return [str(label) for kind, label in DutyKind.choices if kind in self.duty_kinds]

    @property
    def roles(self) -> list[str]:
        """Every role of the person on this meeting, the primary one first."""
        return [self.role, *(r for r in self.extra_roles if r != self.role)]

    def has_role(self, role: str) -> bool:
        return role == self.role or role in self.extra_roles

    @property
    def person(self) -> object:
        if self.user_id:
            return self.user
        if self.contact_id:
            return self.contact
        return self.name

    @property
    def display_name(self) -> str:
        return self.name or str(self.person)

    @staticmethod
    def snapshot_of(
        *, user: object | None = None, contact: ExternalContact | None = None
    ) -> dict[str, str]:
        """The snapshot fields for an account holder or an external contact."""
        if user is not None:
            department = getattr(user, "department", None)
            return {
                "name": str(user)[:150],
                "email": getattr(user, "email", "") or "",
                "phone": getattr(user, "phone", "") or "",
                "organisation": (department.name if department else "")[:200],
                "title": getattr(user, "title", "") or "",
                "language": getattr(user, "language", "") or "",
            }
        if contact is not None:
            return {
                "name": contact.name,
                "email": contact.email or "",
                "phone": contact.phone or "",
                "organisation": contact.organisation or "",
                "title": contact.title or "",
                "language": "",
            }
        return {}
