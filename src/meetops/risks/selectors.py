"""Reads of risks, plans and readiness. The meeting is loaded and authorised by the caller."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import NotFound, ValidationFailed
from meetops.core.schemas import MAX_DB_ID
from meetops.invitations.selectors import rsvp_summary
from meetops.meetings.models import Format, Meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User
from meetops.policy.rules import is_met
from meetops.risks.levels import plan_template
from meetops.risks.models import (
    SEVERE_LEVELS,
    DrillOutcome,
    EmergencyDrill,
    EmergencyPlan,
    PlanStatus,
    ReadinessCheck,
    ReadinessSignature,
    Risk,
    RiskEvent,
    RiskNote,
    RiskStatus,
)
from meetops.venues.selectors import bookings_of_meeting

AV_FACILITIES = frozenset({"projector", "screen", "sound", "microphone"})


def risks_of(meeting: Meeting) -> QuerySet[Risk]:
    return Risk.objects.filter(meeting=meeting).select_related("owner").order_by("phase", "id")


def get_risk_for_user(user: User, pk: int, *, write: bool = False) -> Risk:
    """The risk with its meeting, authorised through the meeting: 404 unseen, 403 not editable."""
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    risk = Risk.objects.filter(pk=pk).first()
    if risk is None:
        raise NotFound()
    risk.meeting = get_meeting_for_user(user, risk.meeting_id, write=write)
    return risk


def unanswered_severe(meeting: Meeting) -> QuerySet[Risk]:
    """High and critical risks still open without a response strategy."""
    return Risk.objects.filter(
        meeting=meeting, level__in=SEVERE_LEVELS, status=RiskStatus.OPEN
    ).filter(Q(response="") | Q(response__isnull=True))


def notes_of(risk: Risk) -> QuerySet[RiskNote]:
    return risk.notes.select_related("author").prefetch_related("departments")


def drills_of(meeting: Meeting) -> QuerySet[EmergencyDrill]:
    return meeting.drills.select_related("recorded_by").order_by("-held_at", "-id")


def events_of(meeting: Meeting) -> QuerySet[RiskEvent]:
    return RiskEvent.objects.filter(meeting=meeting).select_related("risk", "recorded_by")


def plan_of(meeting: Meeting, *, language: str = "") -> EmergencyPlan:
    """The meeting's plan; without one, an unsaved draft filled from the template in `language`."""
    plan = (
        EmergencyPlan.objects.filter(meeting=meeting)
        .select_related("submitted_by", "decided_by", "updated_by")
        .first()
    )
    if plan is not None:
        return plan
    language = language or settings.LANGUAGE_CODE
    return EmergencyPlan(meeting=meeting, language=language, **plan_template(language))


def plan_approved(meeting: Meeting) -> bool:
    return EmergencyPlan.objects.filter(meeting=meeting, status=PlanStatus.APPROVED).exists()


@dataclass
class ReadinessItem:
    code: str
    label: str | Promise
    required: bool = True
    automatic: bool = False
    evidence: bool | None = None  # automatic items: what the data shows now
    detail: str | Promise = ""
    check: ReadinessCheck | None = None

    @property
    def ok(self) -> bool:
        checked = self.check is not None and self.check.ok
        return checked and (not self.automatic or bool(self.evidence))


@dataclass
class Readiness:
    meeting: Meeting
    items: list[ReadinessItem] = field(default_factory=list)
    signature: ReadinessSignature | None = None

    @property
    def missing(self) -> list[str]:
        return [i.code for i in self.items if i.required and not i.ok]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def passed(self) -> bool:
        return self.signature is not None and self.complete

    def item(self, code: str) -> ReadinessItem | None:
        return next((i for i in self.items if i.code == code), None)


def _evidence(meeting: Meeting) -> list[ReadinessItem]:
    """The built-in items, judged live from the other apps' data (read-only)."""
    onsite = meeting.format != Format.ONLINE
    confirmed = list(
        bookings_of_meeting(meeting).filter(status="confirmed").prefetch_related("room__facilities")
    )
    facilities = {f.code for b in confirmed for f in b.room.facilities.all()}
    av = bool(facilities & AV_FACILITIES) if onsite else bool(meeting.online_url)
    rsvp = rsvp_summary(meeting)
    rate = round(100 * rsvp.accepted / rsvp.invited) if rsvp.invited else 0
    severe = unanswered_severe(meeting).count()
    return [
        ReadinessItem(
            "room_booked",
            _("Room booked and confirmed"),
            required=onsite,
            automatic=True,
            evidence=bool(confirmed),
            detail=", ".join(str(b.room) for b in confirmed),
        ),
        ReadinessItem(
            "av_present",
            _("AV facilities present (projection, sound) or an online link"),
            automatic=True,
            evidence=av,
        ),
        ReadinessItem(
            "invitations_sent",
            _("Invitations sent"),
            automatic=True,
            evidence=is_met("invitations.invitations_sent", meeting),
            detail=_("%(invited)d of %(total)d invited, %(rate)d%% accepted")
            % {"invited": rsvp.invited, "total": rsvp.participants, "rate": rate},
        ),
        ReadinessItem(
            "agenda_complete",
            _("Agenda complete"),
            automatic=True,
            evidence=is_met("agenda.has_agenda", meeting),
        ),
        ReadinessItem(
            "plan_approved",
            _("Emergency plan approved"),
            automatic=True,
            evidence=plan_approved(meeting),
        ),
        ReadinessItem(
            "drill_held",
            _("Emergency plan drilled (optional: large or high-risk meetings)"),
            required=False,
            automatic=True,
            evidence=drills_of(meeting).exclude(outcome=DrillOutcome.FAILED).exists(),
        ),
        ReadinessItem(
            "risks_answered",
            _("High and critical risks have a response"),
            automatic=True,
            evidence=severe == 0,
            detail=_("%(count)d without a response") % {"count": severe} if severe else "",
        ),
    ]


BUILT_IN = (
    "room_booked",
    "av_present",
    "invitations_sent",
    "agenda_complete",
    "plan_approved",
    "drill_held",
    "risks_answered",
)


def readiness_of(meeting: Meeting) -> Readiness:
    """The checklist: built-in items with live evidence, then custom items, each with its check."""
    checks = {
        c.code: c
        for c in ReadinessCheck.objects.filter(meeting=meeting).select_related("checked_by")
    }
    items = _evidence(meeting)
    for item in items:
        item.check = checks.pop(item.code, None)
    for check in checks.values():
        if check.custom:
            items.append(
                ReadinessItem(check.code, check.label, required=check.required, check=check)
            )
    signature = (
        ReadinessSignature.objects.filter(meeting=meeting).select_related("signed_by").first()
    )
    return Readiness(meeting=meeting, items=items, signature=signature)


def owner_by_id(pk: int | None) -> User | None:
    """The active user named as a risk's owner; an unknown id is an input error."""
    if pk is None:
        return None
    owner = User.objects.filter(pk=pk, is_active=True).first() if 0 < pk <= MAX_DB_ID else None
    if owner is None:
        raise ValidationFailed(_("No such person."), "invalid_risk", fields=["owner_id"])
    return owner


def risk_of_meeting(meeting: Meeting, pk: int) -> Risk:
    risk = Risk.objects.filter(meeting=meeting, pk=pk).select_related("owner").first()
    if risk is None:
        raise NotFound()
    return risk
