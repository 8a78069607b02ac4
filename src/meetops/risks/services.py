"""Every write to risks, emergency plans, readiness inspections and risk events.

Writes of one meeting's plan or inspection lock the meeting row, so two people
submitting or signing at once run one after the other. Everything is recorded
on the meeting's audit stream, so its history is one list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import NotFound, PermissionDenied, ValidationFailed
from meetops.core.validation import (
    choice_problem,
    date_problem,
    fields_refused,
    in_window,
    required_problem,
)
from meetops.live.models import SupportTicket
from meetops.meetings.models import Meeting
from meetops.people.models import Department, User
from meetops.risks import errors
from meetops.risks.decisions import PLAN
from meetops.risks.levels import STARTERS, level_for, starters_for
from meetops.risks.models import (
    PLAN_SECTIONS,
    SEVERE_LEVELS,
    Category,
    DrillOutcome,
    DrillScenario,
    EmergencyDrill,
    EmergencyPlan,
    Level,
    Phase,
    PlanStatus,
    ReadinessCheck,
    ReadinessRecord,
    ReadinessSignature,
    Risk,
    RiskEvent,
    RiskNote,
    RiskStatus,
)
from meetops.risks.notify import plan_submitted, tell_note, tell_severe_event
from meetops.risks.permissions import (
    can_approve_plan,
    can_coordinate,
    can_edit_risks,
    can_inspect,
)
from meetops.risks.selectors import live_readiness, plan_of, readiness_of, recorded_rows

RISK_FIELDS = [
    "phase",
    "category",
    "description",
    "likelihood",
    "impact",
    "level",
    "response",
    "backup",
    "owner",
    "status",
]
TEXT_LIMIT = 5000


def _lock_meeting(meeting: Meeting, actor: User, *, allowed: bool) -> Meeting:
    if not allowed:
        raise PermissionDenied()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_frozen:
        raise errors.frozen()
    return locked


def _clean_risk(values: dict[str, Any]) -> dict[str, Any]:
    """Refuse what the register cannot hold, naming each field and why; return the cleaned values."""
    problems: dict[str, str] = {}
    for key, choices in (
        ("phase", Phase.values),
        ("category", Category.values),
        ("status", RiskStatus.values),
    ):
        if key in values and values[key] not in choices:
            problems[key] = choice_problem()
    for key in ("likelihood", "impact"):
        if key in values and (
            not isinstance(values[key], int)
            or isinstance(values[key], bool)
            or not 1 <= values[key] <= 5
        ):
            problems[key] = _("Give a whole number from 1 to 5.")
    for key in ("description", "response", "backup"):
        if key in values:
            values[key] = str(values[key] or "").strip()
            if len(values[key]) > TEXT_LIMIT:
                problems[key] = _("Too long (at most %(max)d characters).") % {"max": TEXT_LIMIT}
    if "description" in values and not values["description"]:
        problems["description"] = required_problem()
    owner = values.get("owner")
    if owner is not None and not (isinstance(owner, User) and owner.is_active):
        problems["owner"] = _("Choose an active user.")
    if problems:
        raise fields_refused(_("The risk was not saved."), "invalid_risk", problems, model=Risk)
    return values


def add_risk(
    meeting: Meeting,
    *,
    actor: User,
    phase: str,
    category: str,
    description: str,
    likelihood: int,
    impact: int,
    response: str = "",
    backup: str = "",
    owner: User | None = None,
    status: str = RiskStatus.OPEN,
    starter: str = "",
) -> Risk:
    """Add a risk to the register (P5.1); its level follows from the matrix (P5.2)."""
    values = _clean_risk(
        {
            "phase": phase,
            "category": category,
            "description": description,
            "likelihood": likelihood,
            "impact": impact,
            "response": response,
            "backup": backup,
            "owner": owner,
            "status": status,
        }
    )
    with transaction.atomic():
        meeting = _lock_meeting(meeting, actor, allowed=can_edit_risks(actor, meeting))
        risk = Risk.objects.create(
            meeting=meeting,
            level=level_for(values["likelihood"], values["impact"]),
            starter=starter,
            created_by=actor,
            **values,
        )
        audit.record(
            "risks.risk.created",
            meeting,
            actor=actor,
            data={"risk": risk.pk, "level": risk.level, "description": risk.description[:200]},
        )
    return risk


def update_risk(risk: Risk, *, actor: User, **changes: Any) -> Risk:
    """Change a risk's assessment, response or status (P5.4); the level is recomputed."""
    unknown = set(changes) - set(RISK_FIELDS)
    if unknown or "level" in changes:
        raise fields_refused(
            _("The risk was not saved."),
            "invalid_risk",
            {name: _("This field cannot be changed here.") for name in sorted(unknown)},
            model=Risk,
        )
    values = _clean_risk(dict(changes))
    with transaction.atomic():
        _lock_meeting(risk.meeting, actor, allowed=can_edit_risks(actor, risk.meeting))
        locked = Risk.objects.select_for_update().get(pk=risk.pk)
        before = audit.snapshot(locked, RISK_FIELDS)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.level = level_for(locked.likelihood, locked.impact)
        after = audit.snapshot(locked, RISK_FIELDS)
        changed = audit.diff(before, after)
        if changed:
            locked.save(update_fields=[*{k.removesuffix("_id") for k in changed}, "updated_at"])
            audit.record(
                "risks.risk.updated",
                risk.meeting,
                actor=actor,
                changes=changed,
                data={"risk": locked.pk},
            )
    locked.meeting = risk.meeting
    return locked


def add_starter_risks(meeting: Meeting, *, actor: User) -> list[Risk]:
    """Pull in the common risks of the meeting's kind (P5.9), skipping those already pulled in."""
    with transaction.atomic():
        locked = _lock_meeting(meeting, actor, allowed=can_edit_risks(actor, meeting))
        present = set(Risk.objects.filter(meeting=locked).values_list("starter", flat=True))
        created = []
        for code in starters_for(meeting.kind.code):
            if code in present:
                continue
            phase, category, text, likelihood, impact, response = STARTERS[code]
            created.append(
                Risk(
                    meeting=locked,
                    phase=phase,
                    category=category,
                    description=str(text),
                    likelihood=likelihood,
                    impact=impact,
                    level=level_for(likelihood, impact),
                    response=str(response),
                    owner=actor,
                    starter=code,
                    created_by=actor,
                )
            )
        Risk.objects.bulk_create(created)
        if created:
            audit.record(
                "risks.risk.starters_added",
                locked,
                actor=actor,
                data={"starters": [r.starter for r in created]},
            )
    return created


# --- emergency plan (P2.9) ----------------------------------------------------


def _locked_plan(meeting: Meeting, actor: User, *, allowed: bool) -> EmergencyPlan | None:
    _lock_meeting(meeting, actor, allowed=allowed)
    return EmergencyPlan.objects.select_for_update().filter(meeting=meeting).first()


def save_plan(
    meeting: Meeting, *, actor: User, sections: dict[str, str], language: str = ""
) -> EmergencyPlan:
    """Write the plan's sections. An approved plan that is edited goes back to draft; a submitted one is locked."""
    unknown = set(sections) - set(PLAN_SECTIONS)
    too_long = [k for k, v in sections.items() if len(str(v or "")) > TEXT_LIMIT]
    if unknown or too_long:
        raise ValidationFailed(
            _("Some sections of the plan are not valid."),
            "invalid_plan",
            fields=sorted(unknown) + too_long,
        )
    with transaction.atomic():
        plan = _locked_plan(meeting, actor, allowed=can_edit_risks(actor, meeting))
        if plan is None:
            plan = plan_of(meeting, language=language or actor.language)
        if plan.status == PlanStatus.SUBMITTED:
            raise errors.plan_state(plan.status, "draft")
        before = audit.snapshot(plan, [*PLAN_SECTIONS, "status"]) if plan.pk else {}
        for key, value in sections.items():
            setattr(plan, key, str(value or "").strip())
        if plan.pk and audit.snapshot(plan, [*PLAN_SECTIONS, "status"]) == before:
            # The same texts again: nothing written, an approved plan stays approved.
            audit.note_outcome(plan, {})
            return plan
        if plan.status == PlanStatus.APPROVED:
            plan.status = PlanStatus.DRAFT
        plan.updated_by = actor
        plan.save()
        changed = audit.diff(before, audit.snapshot(plan, [*PLAN_SECTIONS, "status"]))
        audit.record("risks.plan.saved", meeting, actor=actor, changes=changed)
        audit.note_outcome(plan, changed)
    return plan


def submit_plan(meeting: Meeting, *, actor: User) -> EmergencyPlan:
    """Ask a leader to approve the plan; the leaders who may decide are told. Precondition:
    the plan is saved and in draft or returned."""
    with transaction.atomic():
        plan = _locked_plan(meeting, actor, allowed=can_edit_risks(actor, meeting))
        if plan is None or plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            raise errors.plan_state(plan.status if plan else "", "submitted")
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_by, plan.submitted_at = actor, timezone.now()
        plan.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
        audit.record("risks.plan.submitted", meeting, actor=actor)
        plan_submitted(plan, meeting=meeting, actor=actor)
    return plan


def decide_plan(meeting: Meeting, *, actor: User, approve: bool, note: str = "") -> EmergencyPlan:
    """A leader approves or returns a submitted plan; never the person who submitted it
    (`own_submission`). Returning needs a note saying what to change."""

    def lock() -> EmergencyPlan:
        plan = _locked_plan(meeting, actor, allowed=can_approve_plan(actor, meeting))
        if plan is None:
            raise errors.plan_state("", "approved" if approve else "returned")
        return plan

    def move(plan: EmergencyPlan, verdict: Verdict, stamped: list[str]) -> Audited:
        plan.status = PlanStatus.APPROVED if verdict.approve else PlanStatus.RETURNED
        plan.save(update_fields=["status", *stamped, "updated_at"])
        return Audited(meeting, data={"note": verdict.comment})

    return decide(PLAN, actor=actor, approve=approve, comment=note, lock=lock, move=move)


# --- readiness inspection (P2.10) --------------------------------------------


def _refuse_after_start(meeting: Meeting) -> None:
    if meeting.has_started:
        raise errors.readiness_recorded()


def record_readiness_at_start(meeting: Meeting) -> ReadinessRecord:
    """Keep the inspection as it stands when the meeting starts; it is not judged again.

    Called inside the stage change's transaction (the meeting is locked). A second call keeps
    the first record.
    """
    readiness = live_readiness(meeting)
    signature = readiness.signature
    record, _created = ReadinessRecord.objects.get_or_create(
        meeting=meeting,
        defaults={
            "taken_at": timezone.now(),
            "items": recorded_rows(readiness),
            "signed_by": signature.signed_by if signature else None,
            "signed_at": signature.signed_at if signature else None,
            "signature_note": signature.note if signature else "",
        },
    )
    return record


def add_readiness_item(
    meeting: Meeting, *, actor: User, label: str, required: bool = True
) -> ReadinessCheck:
    """Add a custom item to the meeting's checklist."""
    label = label.strip()
    if not label or len(label) > 200:
        raise ValidationFailed(_("An item needs a name of at most 200 characters."), "invalid_item")
    with transaction.atomic():
        locked = _lock_meeting(meeting, actor, allowed=can_edit_risks(actor, meeting))
        _refuse_after_start(locked)
        count = ReadinessCheck.objects.filter(meeting=locked, custom=True).count()
        code = f"custom-{count + 1}-{slugify(label)[:20]}".rstrip("-")
        item = ReadinessCheck.objects.create(
            meeting=locked, code=code, label=label, custom=True, required=required
        )
        audit.record(
            "risks.readiness.item_added", locked, actor=actor, data={"item": code, "label": label}
        )
    return item


def check_item(
    meeting: Meeting, code: str, *, actor: User, ok: bool = True, note: str = ""
) -> ReadinessCheck:
    """A named person checks one item. An automatic item can be marked OK only when its data shows it."""
    note = note.strip()[:500]
    with transaction.atomic():
        locked = _lock_meeting(meeting, actor, allowed=can_inspect(actor, meeting))
        _refuse_after_start(locked)
        readiness = readiness_of(locked)
        item = readiness.item(code)
        if item is None:
            raise NotFound()
        if ok and item.automatic and not item.evidence:
            raise errors.no_evidence(code)
        check = item.check or ReadinessCheck(meeting=locked, code=code)
        check.ok, check.note, check.checked_by, check.checked_at = ok, note, actor, timezone.now()
        check.save()
        # A changed item makes an earlier signature stale.
        ReadinessSignature.objects.filter(meeting=locked).delete()
        audit.record(
            "risks.readiness.checked",
            locked,
            actor=actor,
            data={"item": code, "ok": ok, "note": note},
        )
    return check


def sign_readiness(meeting: Meeting, *, actor: User, note: str = "") -> ReadinessSignature:
    """The inspector signs the inspection. Precondition: every required item is OK."""
    with transaction.atomic():
        locked = _lock_meeting(meeting, actor, allowed=can_inspect(actor, meeting))
        _refuse_after_start(locked)
        readiness = readiness_of(locked)
        if not readiness.complete:
            raise errors.not_ready(readiness.missing)
        signature, _created = ReadinessSignature.objects.update_or_create(
            meeting=locked,
            defaults={"signed_by": actor, "signed_at": timezone.now(), "note": note.strip()[:500]},
        )
        audit.record("risks.readiness.signed", locked, actor=actor, data={"note": signature.note})
    return signature


# --- risk events (P5.7, P5.8) ---------------------------------------------------


def record_risk_event(
    meeting: Meeting,
    *,
    actor: User,
    occurred_at: datetime,
    cause: str,
    handling: str,
    result: str = "",
    lessons: str = "",
    risk: Risk | None = None,
    level: str = "",
    ticket: SupportTicket | None = None,
) -> RiskEvent:
    """Record an incident. A linked risk gives its level and becomes "occurred". A `ticket`
    is the security incident reported in the room that the event records (at most once).

    High and critical events tell the organisers and the risk's owner through the outbox,
    in this transaction.
    """
    cause, handling = cause.strip(), handling.strip()
    problems = {
        k: required_problem() for k, v in (("cause", cause), ("handling", handling)) if not v
    }
    if (risk is None or level) and level not in Level.values:
        problems["level"] = _("Choose a level, or link the event to a risk.")
    if risk is not None and risk.meeting_id != meeting.pk:
        problems["risk_id"] = _("Choose a risk of this meeting.")
    if timezone.is_naive(occurred_at):
        problems["occurred_at"] = _("Give the time with its time zone.")
    if ticket is not None and ticket.meeting_id != meeting.pk:
        problems["ticket"] = _("Choose an incident of this meeting.")
    if problems:
        raise fields_refused(
            _("The event was not recorded."), "invalid_event", problems, model=RiskEvent
        )
    with transaction.atomic():
        locked = _lock_meeting(meeting, actor, allowed=can_edit_risks(actor, meeting))
        if risk is not None:
            risk = (
                Risk.objects.select_for_update(of=("self",)).select_related("owner").get(pk=risk.pk)
            )
            # The level chosen for this event is what happened; the risk's is the fallback.
            level = level or risk.level
            if risk.status != RiskStatus.OCCURRED:
                risk.status = RiskStatus.OCCURRED
                risk.save(update_fields=["status", "updated_at"])
        event = RiskEvent.objects.create(
            meeting=locked,
            risk=risk,
            occurred_at=occurred_at,
            level=level,
            cause=cause[:TEXT_LIMIT],
            handling=handling[:TEXT_LIMIT],
            result=result.strip()[:TEXT_LIMIT],
            lessons=lessons.strip()[:TEXT_LIMIT],
            ticket=ticket,
            recorded_by=actor,
        )
        data = {"event": event.pk, "level": level, "risk": risk.pk if risk else None}
        if ticket is not None:
            data["ticket"] = ticket.pk
        audit.record("risks.event.recorded", locked, actor=actor, data=data)
        if level in SEVERE_LEVELS:
            tell_severe_event(event, meeting=locked, actor=actor)
    return event


# --- emergency drills (P5.6) ----------------------------------------------------

MAX_DRILL_MINUTES = 24 * 60


def record_drill(
    meeting: Meeting,
    *,
    actor: User,
    held_at: datetime,
    scenario: str,
    participants: int,
    duration_minutes: int,
    outcome: str,
    findings: str = "",
    improvements: str = "",
) -> EmergencyDrill:
    """Record a drill of the meeting's emergency plan.

    A drill that did not go as planned must say what it showed and what the plan
    changes, or it teaches nothing: both are then required.
    """
    findings, improvements = findings.strip(), improvements.strip()
    problems: dict[str, str] = {}
    if scenario not in DrillScenario.values:
        problems["scenario"] = choice_problem()
    if outcome not in DrillOutcome.values:
        problems["outcome"] = choice_problem()
    if timezone.is_naive(held_at):
        problems["held_at"] = _("Give the time with its time zone.")
    elif not in_window(held_at):
        problems["held_at"] = date_problem()
    elif held_at > timezone.now():
        problems["held_at"] = _(
            "A drill is recorded after it was held: the time cannot be in the future."
        )
    if participants < 1:
        problems["participants"] = _("At least one person takes part.")
    if not 0 < duration_minutes <= MAX_DRILL_MINUTES:
        problems["duration_minutes"] = _("Between 1 and %(max)d minutes.") % {
            "max": MAX_DRILL_MINUTES
        }
    if outcome in (DrillOutcome.ISSUES, DrillOutcome.FAILED):
        for key, value in (("findings", findings), ("improvements", improvements)):
            if not value:
                problems[key] = _("Required when the drill did not go as planned.")
    if problems:
        raise fields_refused(
            _("The drill was not recorded."), "invalid_drill", problems, model=EmergencyDrill
        )
    with transaction.atomic():
        locked = _lock_meeting(meeting, actor, allowed=can_edit_risks(actor, meeting))
        drill = EmergencyDrill.objects.create(
            meeting=locked,
            held_at=held_at,
            scenario=scenario,
            participants=participants,
            duration_minutes=duration_minutes,
            outcome=outcome,
            findings=findings[:TEXT_LIMIT],
            improvements=improvements[:TEXT_LIMIT],
            recorded_by=actor,
        )
        audit.record(
            "risks.drill.recorded",
            locked,
            actor=actor,
            data={"drill": drill.pk, "scenario": scenario, "outcome": outcome},
        )
    return drill


# --- coordination between departments (P5.5) -----------------------------------


def post_risk_note(
    risk: Risk, *, actor: User, text: str, departments: Iterable[Department] = ()
) -> RiskNote:
    """Post a message on a risk's thread, addressed to departments; the people concerned are told."""
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write the message."), "invalid_note", fields=["text"])
    departments = list(departments)
    with transaction.atomic():
        locked = _lock_meeting(
            risk.meeting, actor, allowed=can_coordinate(actor, risk.meeting, risk.owner_id)
        )
        note = RiskNote.objects.create(risk=risk, author=actor, text=text[:TEXT_LIMIT])
        note.departments.set(departments)
        note.risk.meeting = locked
        audit.record(
            "risks.note.posted",
            locked,
            actor=actor,
            data={"risk": risk.pk, "departments": [d.pk for d in departments]},
        )
        tell_note(note, actor=actor)
    return note
