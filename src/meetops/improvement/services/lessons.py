"""Writing the lessons register (P4.8, P8.6, P6.7)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.core.validation import choice_problem, required_problem
from meetops.improvement import errors
from meetops.improvement.models import Category, Effect, Lesson, Phase
from meetops.improvement.permissions import can_edit_lesson, can_write_lessons
from meetops.improvement.sources import KINDS, Source
from meetops.meetings.models import Meeting
from meetops.people.models import Department, User

TEXT_LIMIT = 5000
LESSON_FIELDS = [
    "phase",
    "category",
    "effect",
    "what_happened",
    "cause",
    "root_cause",
    "source",
    "department",
]


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, str] = {}
    for key, choices in (("phase", Phase), ("category", Category), ("effect", Effect)):
        if key in values and values[key] not in choices.values:
            problems[key] = choice_problem()
    for key in ("what_happened", "cause", "root_cause", "source"):
        if key in values:
            text = str(values[key] or "")
            # One spacing, so that the same root cause written twice counts as one (P6.7).
            values[key] = " ".join(text.split()) if key == "root_cause" else text.strip()
            limit = {"source": 100, "root_cause": 200}.get(key, TEXT_LIMIT)
            if len(values[key]) > limit:
                problems[key] = errors.too_long(limit)
    if "what_happened" in values and not values["what_happened"]:
        problems["what_happened"] = required_problem()
    department = values.get("department")
    if department is not None and not isinstance(department, Department):
        problems["department"] = choice_problem()
    if problems:
        raise errors.invalid(problems, Lesson)
    return values


def _stream(lesson: Lesson) -> Any:
    """A meeting's lessons live on the meeting's audit stream; org-wide ones on their own."""
    return lesson.meeting if lesson.meeting_id else lesson


def record_lesson(
    *,
    actor: User,
    meeting: Meeting | None,
    phase: str,
    category: str,
    effect: str,
    what_happened: str,
    cause: str = "",
    root_cause: str = "",
    source: str = "",
    department: Department | None = None,
    origin: Source | None = None,
) -> Lesson:
    """Add a lesson to a meeting (its organisers, hosts, recorders) or organisation-wide (planners).

    `origin`: the problem it was taken from (P6.7), loaded for the actor (`sources.load`); the
    lesson belongs to the origin's meeting.
    """
    if not can_write_lessons(actor, meeting):
        raise PermissionDenied()
    if origin is not None and not KINDS[origin.kind].for_lessons:
        raise errors.source_not_a_problem()
    if origin is not None and origin.meeting != meeting:
        raise errors.source_elsewhere()
    values = _clean(
        {
            "phase": phase,
            "category": category,
            "effect": effect,
            "what_happened": what_happened,
            "cause": cause,
            "root_cause": root_cause,
            "source": source,
            "department": department,
        }
    )
    if values["department"] is None:
        values["department"] = meeting.department if meeting is not None else actor.department
    with transaction.atomic():
        links = origin.fields() if origin is not None else {}
        lesson = Lesson.objects.create(meeting=meeting, author=actor, **values, **links)
        audit.record(
            "improvement.lesson.recorded",
            _stream(lesson),
            actor=actor,
            data={
                "lesson": lesson.pk,
                "category": lesson.category,
                "effect": lesson.effect,
                "text": lesson.what_happened[:200],
                **_source_data(origin),
            },
        )
    return lesson


def _source_data(origin: Source | None) -> dict[str, Any]:
    if origin is None:
        return {}
    return {"source": {"kind": origin.kind, "id": origin.object_id, "key": origin.key}}


def record_lesson_from_source(origin: Source, *, actor: User, **fields: Any) -> Lesson:
    """P6.7 in one step: a lesson with its cause analysis, from a problem another app recorded.

    What is not given is taken from the source (what happened, phase, category, effect).
    """
    values = {**origin.lesson_initial(), **{k: v for k, v in fields.items() if v is not None}}
    return record_lesson(actor=actor, meeting=origin.meeting, origin=origin, **values)


def update_lesson(lesson: Lesson, *, actor: User, **changes: Any) -> Lesson:
    """Change a lesson: its author, or whoever manages its meeting."""
    unknown = set(changes) - set(LESSON_FIELDS)
    if unknown:
        raise errors.invalid({k: _("This field cannot be changed here.") for k in sorted(unknown)})
    if not can_edit_lesson(actor, lesson.author_id, lesson.meeting):
        raise PermissionDenied()
    values = _clean(dict(changes))
    with transaction.atomic():
        locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
        before = audit.snapshot(locked, LESSON_FIELDS)
        for key, value in values.items():
            setattr(locked, key, value)
        changed = audit.diff(before, audit.snapshot(locked, LESSON_FIELDS))
        if changed:
            locked.save(update_fields=[*{k.removesuffix("_id") for k in changed}, "updated_at"])
            audit.record(
                "improvement.lesson.updated",
                _stream(lesson),
                actor=actor,
                changes=changed,
                data={"lesson": locked.pk},
            )
        audit.note_outcome(locked, changed)
    locked.meeting = lesson.meeting
    return locked


def delete_lesson(lesson: Lesson, *, actor: User) -> None:
    """Remove a lesson written by mistake; measures that grew from it keep their own text."""
    if not can_edit_lesson(actor, lesson.author_id, lesson.meeting):
        raise PermissionDenied()
    with transaction.atomic():
        stream = _stream(lesson)
        data = {"lesson": lesson.pk, "text": lesson.what_happened[:200]}
        Lesson.objects.filter(pk=lesson.pk).delete()
        audit.record("improvement.lesson.deleted", stream, actor=actor, data=data)
