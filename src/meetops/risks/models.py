"""Risks of a meeting (P5), its emergency plan (P2.9), readiness inspection (P2.10) and risk events (P5.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    RUNNING = "running", _("Running the meeting")
    AFTER = "after", _("After the meeting")


class Category(models.TextChoices):
    VENUE = "venue", _("Venue")
    TECHNICAL = "technical", _("Technical failure")
    ABSENCE = "absence", _("Absence of key people")
    SECURITY = "security", _("Security")
    HEALTH = "health", _("Health")
    WEATHER = "weather", _("Weather")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    """Ordered from least to most severe; see `levels.level_for`."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERE_LEVELS = (Level.HIGH, Level.CRITICAL)


class RiskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk", "Open")
    MITIGATED = "mitigated", _("Mitigated")
    OCCURRED = "occurred", _("Occurred")
    CLOSED = "closed", pgettext_lazy("risk", "Closed")


class Risk(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="risks",
    )
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"))
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"))
    level = models.CharField(
        pgettext_lazy("risk", "level"), max_length=10, choices=Level.choices, db_index=True
    )
    response = models.TextField(_("response strategy"), blank=True)
    backup = models.TextField(_("backup resources"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    starter = models.CharField(max_length=40, blank=True)  # the starter-list entry it came from
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["phase", "-likelihood", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", pgettext_lazy("plan", "Approved")
    RETURNED = "returned", _("Returned for changes")


PLAN_SECTIONS = ("duty_contacts", "evacuation", "medical", "power_av", "security")


class DecidedPlan(models.Model):
    """What the emergency and security plans share: a draft submitted to a leader, who
    approves or returns it (the stamps of ADR 0010's decision shape)."""

    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    decision_note = models.TextField(_("leader's note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EmergencyPlan(DecidedPlan):
    """P2.9: one per meeting, written from a template in its language, approved by a leader."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="emergency_plan"
    )
    language = models.CharField(_("language"), max_length=10)
    duty_contacts = models.TextField(_("contacts on duty (with phone numbers)"), blank=True)
    evacuation = models.TextField(_("evacuation route and assembly point"), blank=True)
    medical = models.TextField(_("medical emergencies"), blank=True)
    power_av = models.TextField(_("power or AV failure"), blank=True)
    security = models.TextField(_("security contact"), blank=True)

    class Meta:
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")

    def __str__(self) -> str:
        return str(self.meeting)


class ReadinessCheck(models.Model):
    """A person's check of one readiness item (built-in code, or a custom item of the meeting)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="readiness_checks"
    )
    code = models.SlugField(max_length=40)
    label = models.CharField(
        pgettext_lazy("readiness", "item"), max_length=200, blank=True
    )  # custom items only
    custom = models.BooleanField(default=False)
    required = models.BooleanField(_("required"), default=True)
    ok = models.BooleanField(_("OK"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("readiness check")
        verbose_name_plural = _("readiness checks")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="readiness_item_once"),
        ]

    def __str__(self) -> str:
        return self.label or self.code


class ReadinessSignature(models.Model):
    """The inspector's signature: the inspection passed at `signed_at`."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="readiness_signature"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField()
    note = models.CharField(_("note"), max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.signed_at:%Y-%m-%d %H:%M}"


class ReadinessRecord(models.Model):
    """The readiness inspection as it stood when the meeting started (P2.10 is judged before the
    meeting): a walk-in at the door or a change of plan later does not re-judge it."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="readiness_record"
    )
    taken_at = models.DateTimeField()
    # [{code, label, required, automatic, evidence, detail, ok, checked_by, checked_at, note}]
    items = models.JSONField(default=list)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signature_note = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.taken_at:%Y-%m-%d %H:%M}"


class RiskEvent(models.Model):
    """P5.7/P5.8: an incident that happened, with cause, handling, result and lessons."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="risk_events"
    )
    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    occurred_at = models.DateTimeField(_("when"))
    level = models.CharField(pgettext_lazy("risk", "level"), max_length=10, choices=Level.choices)
    cause = models.TextField(_("cause"))
    handling = models.TextField(_("handling"))
    result = models.TextField(_("result"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    # A security incident reported in the room (P3.7) that this event records: one event per
    # ticket at most, so the register never counts an incident twice.
    ticket = models.OneToOneField(
        "live.SupportTicket",
        verbose_name=_("reported incident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_event",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.cause[:60]}"


class DrillScenario(models.TextChoices):
    EVACUATION = "evacuation", _("Evacuation (fire, alarm)")
    MEDICAL = "medical", _("Medical emergency")
    POWER_AV = "power_av", _("Power or AV failure")
    SECURITY = "security", _("Security incident")
    OTHER = "other", pgettext_lazy("drill scenario", "Other")


class DrillOutcome(models.TextChoices):
    PASSED = "passed", _("Went as planned")
    ISSUES = "issues", _("Went with problems")
    FAILED = "failed", _("Did not work")


class EmergencyDrill(models.Model):
    """P5.6: a drill of the emergency plan, with what it showed and what is to be improved."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="drills")
    held_at = models.DateTimeField(_("held at"))
    scenario = models.CharField(_("scenario"), max_length=12, choices=DrillScenario.choices)
    participants = models.PositiveIntegerField(_("people taking part"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=DrillOutcome.choices)
    findings = models.TextField(_("what the drill showed"), blank=True)
    improvements = models.TextField(_("improvements to the plan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emergency drill")
        verbose_name_plural = _("emergency drills")
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d %H:%M} {self.scenario}"

    @property
    def has_findings(self) -> bool:
        """The drill showed something to improve (P9.1): a finding, or it did not go as planned."""
        return bool(self.findings.strip()) or self.outcome != DrillOutcome.PASSED


class RiskNote(models.Model):
    """P5.5: a message about a risk to the departments and people who must act on it together.

    Addressed departments' people on the meeting, the risk's owner and the organisers
    are told, so nobody works from old information.
    """

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("message"))
    departments = models.ManyToManyField(
        "people.Department", verbose_name=_("departments concerned"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordination note")
        verbose_name_plural = _("coordination notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


# --- venue security (P3.7) -------------------------------------------------------


class AccessKind(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("access", "Normal")
    VIP = "vip", _("VIP")
    PRESS = "press", _("Press")


class BadgeColour(models.TextChoices):
    RED = "red", _("Red")
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    WHITE = "white", _("White")


# The colour an entry gets when none is chosen: VIPs in red, the press in yellow.
DEFAULT_BADGE: dict[str, str] = {
    AccessKind.NORMAL: BadgeColour.BLUE,
    AccessKind.VIP: BadgeColour.RED,
    AccessKind.PRESS: BadgeColour.YELLOW,
}


class SecurityPlan(DecidedPlan):
    """P3.7: the meeting's security plan (安保方案), beside its emergency plan; approved by the
    approver the emergency plan uses. The evacuation routes are read from the emergency plan."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="security_plan"
    )
    entry_checks = models.TextField(_("entry checks"), blank=True)
    restricted_areas = models.TextField(_("restricted areas"), blank=True)

    class Meta:
        verbose_name = _("security plan")
        verbose_name_plural = _("security plans")

    def __str__(self) -> str:
        return str(self.meeting)


class SecurityPost(models.Model):
    """A post of the security plan: where, what, when, and the guards who hold it (people on
    the meeting)."""

    plan = models.ForeignKey(SecurityPlan, on_delete=models.CASCADE, related_name="posts")
    place = models.CharField(_("place"), max_length=200)
    duty = models.CharField(_("duty"), max_length=500)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    guards = models.ManyToManyField(
        "meetings.Participant", verbose_name=_("guards"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("security post")
        verbose_name_plural = _("security posts")
        ordering = ["start", "place", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="security_post_ends_later")
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.start:%H:%M}–{self.end:%H:%M}"


class DoorEntry(models.Model):
    """Someone who may enter (the door list): by name and organisation, a kind and a badge
    colour; linked to their participant row when they are on the meeting."""

    plan = models.ForeignKey(SecurityPlan, on_delete=models.CASCADE, related_name="door_list")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=150)
    organisation = models.CharField(_("department or company"), max_length=200, blank=True)
    kind = models.CharField(
        pgettext_lazy("access", "kind"),
        max_length=8,
        choices=AccessKind.choices,
        default=AccessKind.NORMAL,
    )
    badge_colour = models.CharField(_("badge colour"), max_length=8, choices=BadgeColour.choices)
    participant = models.ForeignKey(
        "meetings.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("door list entry")
        verbose_name_plural = _("door list")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name", "organisation"], name="door_entry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.organisation}" if self.organisation else self.name
