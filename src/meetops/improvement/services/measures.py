"""Improvement measures: planned → in progress → done (with evidence) or dropped (with a reason),
then the check of whether a done measure worked (P6.8, P9.1, P9.7)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.core.validation import choice_problem, date_problem, in_window, required_problem
from meetops.improvement import errors
from meetops.improvement.models import (
    OPEN_MEASURE_STATES,
    Effectiveness,
    Lesson,
    Measure,
    MeasureStatus,
)
from meetops.improvement.permissions import (
    can_plan_measures,
    can_review_measure,
    can_work_on_measure,
)
from meetops.improvement.sources import Source, lesson_source
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_view_meeting
from meetops.people.models import Department, User

TEXT_LIMIT = 5000
EDITABLE = [
    "title",
    "description",
    "owner",
    "owner_department",
    "due_date",
    "expected_effect",
    "proposes_process_change",
    "process_change",
]


def _clean(values: dict[str, Any], meetings: set[Meeting]) -> dict[str, Any]:
    """Refuse what a measure cannot hold; the owner must be able to see what it is about."""
    problems: dict[str, str] = {}
    for key in ("title", "description", "expected_effect", "process_change"):
        if key in values:
            values[key] = str(values[key] or "").strip()
            limit = 300 if key == "title" else TEXT_LIMIT
            if len(values[key]) > limit:
                problems[key] = errors.too_long(limit)
    if "title" in values and not values["title"]:
        problems["title"] = required_problem()
    if "due_date" in values and (
        not isinstance(values["due_date"], date) or not in_window(values["due_date"])
    ):
        problems["due_date"] = date_problem()
    owner = values.get("owner")
    if owner is not None and (
        not isinstance(owner, User)
        or not owner.is_active
        or not all(can_view_meeting(owner, m) for m in meetings)
    ):
        problems["owner_id"] = _("Choose an active person who can see the meeting.")
    department = values.get("owner_department")
    if department is not None and not isinstance(department, Department):
        problems["owner_department_id"] = choice_problem()
    if values.get("proposes_process_change") and not values.get("process_change", "x"):
        problems["process_change"] = _("Say what should change in the process.")
    if problems:
        raise errors.invalid(problems, Measure)
    return values


def create_measure(
    *,
    actor: User,
    title: str,
    due_date: date,
    meeting: Meeting | None = None,
    lessons: Sequence[Lesson] = (),
    owner: User | None = None,
    owner_department: Department | None = None,
    description: str = "",
    expected_effect: str = "",
    proposes_process_change: bool = False,
    process_change: str = "",
    origin: Source | None = None,
) -> Measure:
    """Plan a measure, directly, from lessons or from another source (P9.1): an evaluation
    result, a follow-up acceptance, a drill. Lessons of one meeting tie it to that meeting.

    Precondition: the actor may plan measures for that meeting (or, without one, is a planner),
    every lesson is one the caller let the actor see, and `origin` was loaded for the actor
    (`sources.load`). Without an origin, a measure from lessons names its first lesson.
    """
    if origin is not None:
        if meeting is not None and origin.meeting is not None and origin.meeting != meeting:
            raise errors.source_elsewhere()
        meeting = meeting or origin.meeting
    elif lessons:
        origin = lesson_source(sorted(lessons, key=lambda x: x.pk)[0])
    lesson_meetings = {lesson.meeting_id for lesson in lessons}
    if len(lesson_meetings) > 1 or (
        lessons and meeting is not None and lesson_meetings != {meeting.pk}
    ):
        # One meeting's audit stream and visibility; mixing would leak one meeting into another.
        raise errors.invalid({"lesson_ids": _("Choose lessons of this meeting.")}, Measure)
    if meeting is None and lessons and lessons[0].meeting is not None:
        meeting = lessons[0].meeting
    if not can_plan_measures(actor, meeting):
        raise PermissionDenied()
    if owner is None and owner_department is None:
        raise errors.invalid(
            {"owner_id": _("Choose an active person who can see the meeting.")}, Measure
        )
    scope = {meeting} if meeting is not None else set()
    values = _clean(
        {
            "title": title,
            "description": description,
            "due_date": due_date,
            "owner": owner,
            "owner_department": owner_department,
            "expected_effect": expected_effect,
            "proposes_process_change": bool(proposes_process_change),
            "process_change": process_change,
        },
        scope,
    )
    links = origin.fields() if origin is not None else {}
    with transaction.atomic():
        measure = Measure.objects.create(meeting=meeting, created_by=actor, **values, **links)
        measure.lessons.set(lessons)
        source = {"kind": origin.kind, "id": origin.object_id, "key": origin.key} if origin else {}
        audit.record(
            "improvement.measure.created",
            stream(measure),
            actor=actor,
            changes=audit.diff({}, audit.snapshot(measure, EDITABLE)),
            data={"measure": measure.pk, "lessons": [x.pk for x in lessons], "source": source},
        )
    return measure


def plan_measure_from_source(origin: Source, *, actor: User, **fields: Any) -> Measure:
    """P9.1 in one step: a measure naming where it came from; the title and description start
    from the source when not given. A lesson source also becomes the measure's lesson."""
    values = {**origin.measure_initial(), **{k: v for k, v in fields.items() if v is not None}}
    if origin.kind == "lesson" and not values.get("lessons"):
        # The lesson was loaded for the actor with the source; the measure keeps the tie.
        values["lessons"] = list(Lesson.objects.filter(pk=origin.object_id))
    return create_measure(actor=actor, meeting=origin.meeting, origin=origin, **values)


def stream(measure: Measure) -> Any:
    """A meeting's measures are on the meeting's audit stream: its history and its visibility."""
    return measure.meeting if measure.meeting_id else measure


def _lock(measure: Measure, actor: User) -> Measure:
    if not can_work_on_measure(
        actor,
        owner_id=measure.owner_id,
        created_by_id=measure.created_by_id,
        meeting=measure.meeting,
    ):
        raise PermissionDenied()
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    locked.meeting = measure.meeting
    return locked


def update_measure(measure: Measure, *, actor: User, **changes: Any) -> Measure:
    """Change an open measure's plan (owner, due date, expected effect, proposal)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise errors.invalid({k: _("This field cannot be changed here.") for k in sorted(unknown)})
    scope = {measure.meeting} if measure.meeting is not None else set()
    values = _clean(dict(changes), scope)
    with transaction.atomic():
        locked = _lock(measure, actor)
        if not locked.is_open:
            raise errors.measure_state(locked.status, "edit")
        before = audit.snapshot(locked, EDITABLE)
        for key, value in values.items():
            setattr(locked, key, value)
        if locked.owner_id is None and locked.owner_department_id is None:
            raise errors.invalid(
                {"owner_id": _("Choose an active person who can see the meeting.")}, Measure
            )
        if locked.proposes_process_change and not locked.process_change:
            raise errors.invalid(
                {"process_change": _("Say what should change in the process.")}, Measure
            )
        changed = audit.diff(before, audit.snapshot(locked, EDITABLE))
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit.record(
                "improvement.measure.updated",
                stream(locked),
                actor=actor,
                changes=changed,
                data={"measure": locked.pk},
            )
        audit.note_outcome(locked, changed)
    return locked


def _move(
    measure: Measure,
    *,
    actor: User,
    to: str,
    allowed_from: Sequence[str],
    fields: dict[str, Any] | None = None,
) -> Measure:
    with transaction.atomic():
        locked = _lock(measure, actor)
        if locked.status not in allowed_from:
            raise errors.measure_state(locked.status, to)
        before = locked.status
        locked.status = to
        for key, value in (fields or {}).items():
            setattr(locked, key, value)
        if to in (MeasureStatus.DONE, MeasureStatus.DROPPED):
            locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "finished_at", *(fields or {}), "updated_at"])
        audit.record(
            f"improvement.measure.{to}",
            stream(locked),
            actor=actor,
            changes={"status": [before, to]},
            data={"measure": locked.pk, **{k: str(v)[:500] for k, v in (fields or {}).items()}},
        )
    return locked


def start_measure(measure: Measure, *, actor: User) -> Measure:
    """Planned → in progress."""
    return _move(
        measure, actor=actor, to=MeasureStatus.IN_PROGRESS, allowed_from=[MeasureStatus.PLANNED]
    )


def complete_measure(
    measure: Measure, *, actor: User, result_note: str, evidence: str = ""
) -> Measure:
    """Open → done. Needs a note of what was done; evidence (a link, a document number) is kept."""
    result_note, evidence = result_note.strip(), evidence.strip()
    problems = {
        **({"result_note": _("Say what was done.")} if not result_note else {}),
        **({"result_note": errors.too_long(TEXT_LIMIT)} if len(result_note) > TEXT_LIMIT else {}),
        **({"evidence": errors.too_long(TEXT_LIMIT)} if len(evidence) > TEXT_LIMIT else {}),
    }
    if problems:
        raise errors.invalid(problems, Measure)
    return _move(
        measure,
        actor=actor,
        to=MeasureStatus.DONE,
        allowed_from=OPEN_MEASURE_STATES,
        fields={"result_note": result_note, "evidence": evidence},
    )


def drop_measure(measure: Measure, *, actor: User, reason: str) -> Measure:
    """Open → dropped, with the reason."""
    reason = reason.strip()
    if not reason or len(reason) > TEXT_LIMIT:
        why = errors.too_long(TEXT_LIMIT) if reason else _("Say why the measure is dropped.")
        raise errors.invalid({"reason": why})
    return _move(
        measure,
        actor=actor,
        to=MeasureStatus.DROPPED,
        allowed_from=OPEN_MEASURE_STATES,
        fields={"drop_reason": reason},
    )


def review_measure(measure: Measure, *, actor: User, effectiveness: str, note: str = "") -> Measure:
    """Judge whether a done measure worked (P9.7). An organiser, leader or admin, not the owner.

    A later review replaces an earlier one; both stay in the audit log.
    """
    note = note.strip()
    if effectiveness not in Effectiveness.values:
        raise errors.invalid({"effectiveness": choice_problem()}, Measure)
    if len(note) > TEXT_LIMIT:
        raise errors.invalid({"note": errors.too_long(TEXT_LIMIT)}, Measure)
    if effectiveness != Effectiveness.EFFECTIVE and not note:
        raise errors.invalid(
            {"note": _("Say what did not work: a measure judged not effective needs a note.")},
            Measure,
        )
    if actor.pk == measure.owner_id:
        raise errors.self_review()
    if not can_review_measure(actor, owner_id=measure.owner_id, meeting=measure.meeting):
        raise PermissionDenied()
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        if locked.status != MeasureStatus.DONE:
            raise errors.measure_state(locked.status, "review")
        before = audit.snapshot(locked, ["effectiveness", "review_note"])
        locked.effectiveness, locked.review_note = effectiveness, note
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.save(
            update_fields=[
                "effectiveness",
                "review_note",
                "reviewed_by",
                "reviewed_at",
                "updated_at",
            ]
        )
        audit.record(
            "improvement.measure.reviewed",
            stream(locked),
            actor=actor,
            changes=audit.diff(before, audit.snapshot(locked, ["effectiveness", "review_note"])),
            data={"measure": locked.pk},
        )
    locked.meeting = measure.meeting
    return locked
