"""Reads of risks, plans and readiness. The meeting is loaded and authorised by the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
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
    ReadinessRecord,
    ReadinessSignature,
    Risk,
    RiskEvent,
    RiskNote,
    RiskStatus,
)
from meetops.venues.coverage import is_covered, meeting_span
from meetops.venues.selectors import bookings_of_meeting

# A room "has AV" when people in it can be heard: a projector alone is not enough.
SOUND_FACILITIES = frozenset({"sound", "microphone", "video_conference"})


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
    # When the meeting started: the record stands as it was then (`ReadinessRecord`).
    frozen_at: datetime | None = None

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
        bookings_of_meeting(meeting)
        .filter(status="confirmed", start__lt=meeting.end, end__gt=meeting.start)
        .prefetch_related("room__facilities")
    )
    rooms = list({b.room_id: b.room for b in confirmed}.values())
    silent = [r for r in rooms if not {f.code for f in r.facilities.all()} & SOUND_FACILITIES]
    av = bool(rooms) and not silent if onsite else bool(meeting.online_url)
    covered = is_covered(meeting)
    rsvp = rsvp_summary(meeting)
    rate = round(100 * rsvp.accepted / rsvp.invited) if rsvp.invited else 0
    severe = unanswered_severe(meeting).count()
    return [
        ReadinessItem(
            "room_booked",
            _("Room booked and confirmed"),
            required=onsite,
            automatic=True,
            evidence=covered,
            detail=", ".join(str(r) for r in rooms)
            if covered
            else _("No confirmed room for the whole meeting (%(time)s)")
            % {"time": meeting_span(meeting)},
        ),
        ReadinessItem(
            "av_present",
            _("AV facilities present (projection, sound) or an online link"),
            automatic=True,
            evidence=av,
            detail=_("No sound system: %(rooms)s") % {"rooms": ", ".join(str(r) for r in silent)}
            if onsite and silent
            else "",
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


# Labels of the built-in items by code, so a recorded checklist reads in today's language.
BUILT_IN_LABELS: dict[str, str | Promise] = {
    "room_booked": _("Room booked and confirmed"),
    "av_present": _("AV facilities present (projection, sound) or an online link"),
    "invitations_sent": _("Invitations sent"),
    "agenda_complete": _("Agenda complete"),
    "plan_approved": _("Emergency plan approved"),
    "drill_held": _("Emergency plan drilled (optional: large or high-risk meetings)"),
    "risks_answered": _("High and critical risks have a response"),
}

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
    """The checklist: built-in items with live evidence, then custom items, each with its check.
    Once the meeting has started, the record taken at its start instead."""
    if meeting.has_started:
        record = ReadinessRecord.objects.filter(meeting=meeting).first()
        if record is not None:
            return _as_recorded(meeting, record)
    return live_readiness(meeting)


def _as_recorded(meeting: Meeting, record: ReadinessRecord) -> Readiness:
    people = User.objects.in_bulk(
        {i["checked_by"] for i in record.items if i.get("checked_by")}
        | ({record.signed_by_id} if record.signed_by_id else set())
    )
    items = []
    for row in record.items:
        check = None
        if row.get("checked_at"):
            check = ReadinessCheck(
                meeting=meeting,
                code=row["code"],
                ok=row["ok"],
                note=row.get("note", ""),
                checked_by=people.get(row.get("checked_by") or 0),
                checked_at=parse_datetime(row["checked_at"]),
            )
        items.append(
            ReadinessItem(
                row["code"],
                BUILT_IN_LABELS.get(row["code"], row["label"]),
                required=row["required"],
                automatic=row["automatic"],
                evidence=row["evidence"],
                detail=row["detail"],
                check=check,
            )
        )
    signature = None
    if record.signed_at is not None:
        signature = ReadinessSignature(
            meeting=meeting,
            signed_by=people.get(record.signed_by_id or 0),
            signed_at=record.signed_at,
            note=record.signature_note,
        )
    return Readiness(meeting=meeting, items=items, signature=signature, frozen_at=record.taken_at)


def recorded_rows(readiness: Readiness) -> list[dict[str, Any]]:
    """The checklist as plain data, for the record kept at the meeting's start."""
    return [
        {
            "code": i.code,
            "label": str(i.label),
            "required": i.required,
            "automatic": i.automatic,
            "evidence": i.evidence,
            "detail": str(i.detail),
            "ok": i.check.ok if i.check else False,
            "checked_by": i.check.checked_by_id if i.check else None,
            "checked_at": i.check.checked_at.isoformat()
            if i.check and i.check.checked_at
            else None,
            "note": i.check.note if i.check else "",
        }
        for i in readiness.items
    ]


def live_readiness(meeting: Meeting) -> Readiness:
    """The checklist judged now from the meeting's data."""
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
