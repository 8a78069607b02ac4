"""Reads of lessons, measures and cases, always limited to what the user may see.

The rule everywhere: an item tied to a meeting is visible only to those who may see
that meeting (the queryset twin is `meetings_visible_to`). A measure's lessons all
belong to its own meeting, so the same rule covers them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetops.core.errors import NotFound, ValidationFailed
from meetops.core.schemas import MAX_DB_ID
from meetops.evaluation.selectors import results_readable_among
from meetops.improvement.models import (
    OPEN_MEASURE_STATES,
    Case,
    CaseStatus,
    Category,
    Lesson,
    Measure,
)
from meetops.improvement.permissions import APPROVER_ROLES
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import User


def _visible_meeting(user: User) -> Q:
    """Rows with no meeting, or one the user may see."""
    return Q(meeting__isnull=True) | Q(meeting__in=meetings_visible_to(user).values("pk"))


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- lessons -------------------------------------------------------------------


def lessons_visible_to(user: User) -> QuerySet[Lesson]:
    base = Lesson.objects.select_related(
        "meeting", "meeting__kind", "meeting__department", "department", "author"
    )
    if not _signed_in(user):
        return base.none()
    return base if user.is_admin else base.filter(_visible_meeting(user))


@dataclass(frozen=True)
class LessonFilters:
    category: str = ""
    phase: str = ""
    effect: str = ""
    kind: str = ""
    department: int | None = None
    year: int | None = None
    meeting: int | None = None
    q: str = ""


def search_lessons(user: User, filters: LessonFilters) -> QuerySet[Lesson]:
    """The cross-meeting register, newest first."""
    qs = lessons_visible_to(user)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.phase:
        qs = qs.filter(phase=filters.phase)
    if filters.effect:
        qs = qs.filter(effect=filters.effect)
    if filters.kind:
        qs = qs.filter(meeting__kind__code=filters.kind)
    if filters.department:
        qs = qs.filter(
            Q(department_id=filters.department) | Q(meeting__department_id=filters.department)
        )
    if filters.year:
        qs = qs.filter(created_at__year=filters.year)
    if filters.meeting:
        qs = qs.filter(meeting_id=filters.meeting)
    if filters.q:
        qs = qs.filter(Q(what_happened__icontains=filters.q) | Q(cause__icontains=filters.q))
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class CategoryCount:
    code: str
    label: str
    problems: int
    keep: int

    @property
    def total(self) -> int:
        return self.problems + self.keep


def category_counts(lessons: QuerySet[Lesson]) -> list[CategoryCount]:
    """Per category, problems and keep-doing, most problems first: recurring problems stand out."""
    rows = (
        lessons.order_by()
        .values("category")
        .annotate(
            problems=Count("id", filter=Q(effect="negative")),
            keep=Count("id", filter=Q(effect="positive")),
        )
    )
    by_code: dict[str, dict[str, int]] = {
        r["category"]: {"problems": r["problems"], "keep": r["keep"]} for r in rows
    }
    counts = [
        CategoryCount(
            code,
            str(label),
            by_code.get(code, {}).get("problems", 0),
            by_code.get(code, {}).get("keep", 0),
        )
        for code, label in Category.choices
    ]
    return sorted(counts, key=lambda c: (-c.problems, -c.total, c.code))


# A cause met in this many meetings of the period is a recurring cause (P6.7).
RECURRING_MEETINGS = 2


@dataclass(frozen=True)
class RecurringCause:
    """A cause category or a root cause that problems in several meetings share."""

    kind: str  # "category" | "root_cause"
    code: str
    label: str
    meetings: list[Meeting]


def recurring_causes(
    lessons: QuerySet[Lesson], min_meetings: int = RECURRING_MEETINGS
) -> list[RecurringCause]:
    """Problems' causes met in at least `min_meetings` meetings of the filtered lessons (the
    register's period and filters), most meetings first. Three queries, whatever the rows."""
    problems = lessons.filter(effect="negative", meeting__isnull=False).order_by()
    by_category: dict[str, set[int]] = {}
    for category, meeting_id in problems.values_list("category", "meeting_id").distinct():
        by_category.setdefault(category, set()).add(meeting_id)
    by_root: dict[str, set[int]] = {}
    spelling: dict[str, str] = {}
    rows = problems.exclude(root_cause="").values_list("root_cause", "meeting_id").distinct()
    for root, meeting_id in rows:
        key = root.casefold()
        spelling.setdefault(key, root)
        by_root.setdefault(key, set()).add(meeting_id)
    labels = dict(Category.choices)
    found = [
        ("category", code, str(labels.get(code, code)), ids)
        for code, ids in by_category.items()
        if len(ids) >= min_meetings
    ] + [
        ("root_cause", key, spelling[key], ids)
        for key, ids in by_root.items()
        if len(ids) >= min_meetings
    ]
    wanted = {pk for *_rest, ids in found for pk in ids}
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=wanted).order_by("start", "id")}
    causes = [
        RecurringCause(kind, code, label, [meetings[pk] for pk in meetings if pk in ids])
        for kind, code, label, ids in found
    ]
    return sorted(causes, key=lambda c: (-len(c.meetings), c.kind, c.label))


def sourced_from(meeting: Meeting) -> dict[tuple[str, int, str], list[Lesson | Measure]]:
    """The lessons and measures taken from the meeting's sources, by (kind, id, key): pages of
    other apps show what a problem already became. Two queries."""
    found: dict[tuple[str, int, str], list[Lesson | Measure]] = {}
    rows: list[Lesson | Measure] = [
        *Lesson.objects.filter(meeting=meeting).exclude(source_kind="").order_by("id"),
        *Measure.objects.filter(meeting=meeting).exclude(source_kind="").order_by("id"),
    ]
    for row in rows:
        found.setdefault((row.source_kind, row.source_object_id or 0, row.source_key), []).append(
            row
        )
    return found


# Sources whose page is the meeting's questionnaire results or evaluation (`can_read_results`);
# the other sources' pages are open to whoever sees the meeting, as the lesson or measure is.
RESULT_SOURCES = frozenset({"survey_answer", "survey_question", "evaluation_indicator"})


class _Linked(Protocol):
    @property
    def meeting_id(self) -> int | None: ...

    source_kind: str
    source_url: str
    source_href: str


Linked = TypeVar("Linked", bound=_Linked)


def with_source_links(user: User, rows: Iterable[Linked]) -> list[Linked]:
    """The rows, each with `source_href` set when this user may follow it. One query."""
    listed = list(rows)
    wanted = {r.meeting_id for r in listed if r.source_kind in RESULT_SOURCES and r.meeting_id}
    readable = results_readable_among(user, wanted)
    for row in listed:
        may = row.source_kind not in RESULT_SOURCES or row.meeting_id in readable
        row.source_href = row.source_url if may else ""
    return listed


def get_lesson_for_user(user: User, pk: int) -> Lesson:
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    lesson = lessons_visible_to(user).filter(pk=pk).first()
    if lesson is None:
        raise NotFound()
    return lesson


def lessons_of(meeting: Meeting) -> QuerySet[Lesson]:
    """A meeting's lessons; the caller has authorised the meeting."""
    return (
        Lesson.objects.filter(meeting=meeting)
        .select_related("author")
        .order_by("phase", "-created_at", "-id")
    )


# --- measures ------------------------------------------------------------------


def measures_visible_to(user: User) -> QuerySet[Measure]:
    base = Measure.objects.select_related(
        "meeting", "owner", "owner_department", "reviewed_by", "created_by"
    )
    if not _signed_in(user):
        return base.none()
    # Its lessons are all of its own meeting (services.measures), so the meeting decides.
    return base if user.is_admin else base.filter(_visible_meeting(user))


def measures_of(meeting: Meeting) -> QuerySet[Measure]:
    """A meeting's measures as its results tell them (P6.9); the caller has authorised the meeting."""
    return (
        Measure.objects.filter(meeting=meeting)
        .select_related("owner", "owner_department")
        .order_by("due_date", "id")
    )


def search_measures(
    user: User, *, status: str = "", overdue: bool = False, mine: bool = False
) -> QuerySet[Measure]:
    qs = measures_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_MEASURE_STATES, due_date__lt=timezone.localdate())
    if mine:
        qs = qs.filter(Q(owner=user) | Q(created_by=user))
    return qs.order_by("due_date", "id")


def get_measure_for_user(user: User, pk: int) -> Measure:
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    measure = measures_visible_to(user).filter(pk=pk).first()
    if measure is None:
        raise NotFound()
    return measure


def visible_lessons_of(measure: Measure, user: User) -> QuerySet[Lesson]:
    return lessons_visible_to(user).filter(measures=measure)


def is_overdue(measure: Measure, today: date | None = None) -> bool:
    return measure.is_open and measure.due_date < (today or timezone.localdate())


def process_proposals() -> QuerySet[Measure]:
    """Measures that propose changing the meeting process, newest first (P9.2/P10.2)."""
    return (
        Measure.objects.filter(proposes_process_change=True)
        .exclude(status="dropped")
        .select_related("meeting", "owner", "created_by")
        .order_by("-created_at", "-id")
    )


# --- cases -----------------------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Published cases whose meeting the user may see; unpublished: the proposer and approvers."""
    base = Case.objects.select_related("meeting", "meeting__kind", "proposed_by", "decided_by")
    if not _signed_in(user):
        return base.none()
    if user.is_admin:
        return base
    readable = Q(status=CaseStatus.PUBLISHED) | Q(proposed_by=user)
    if user.has_role(*APPROVER_ROLES):
        readable |= Q(status=CaseStatus.SUBMITTED)
    return base.filter(readable).filter(_visible_meeting(user))


def search_cases(
    user: User, *, q: str = "", tag: str = "", status: str = CaseStatus.PUBLISHED, kind: str = ""
) -> QuerySet[Case]:
    qs = cases_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(success_factors__icontains=q)
            | Q(tags__icontains=q)
            # An outside practice is looked for by where it comes from too (P10.3).
            | Q(source__icontains=q)
        )
    if tag:
        qs = qs.filter(tags__icontains=f",{tag.strip().lower()},")
    return qs.annotate(sharing_count=Count("sharings")).order_by("-published_at", "-id")


def all_tags(cases: QuerySet[Case]) -> list[str]:
    tags: set[str] = set()
    for value in cases.order_by().values_list("tags", flat=True):
        tags.update(t for t in value.split(",") if t)
    return sorted(tags)


def get_case_for_user(user: User, pk: int) -> Case:
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


def sharings_of(case: Case, user: User) -> list[Meeting]:
    """The sharing sessions of a case the user may see, in order."""
    visible = meetings_visible_to(user).filter(shared_cases__case=case)
    return list(visible.order_by("start", "id"))


def user_by_id(pk: int | None) -> User | None:
    from django.utils.translation import gettext as _

    if pk is None:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first() if 0 < pk <= MAX_DB_ID else None
    if user is None:
        raise ValidationFailed(_("No such person."), "invalid_owner", fields=["owner_id"])
    return user
