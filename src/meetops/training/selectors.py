"""Reads of training: who holds which duty, where each person stands per need, coverage per
department, and a person's records. A fixed number of queries whatever the number of people.

A person stands per need as:
- `trained`: a qualifying training, not due for a refresher within DUE_SOON_DAYS;
- `due`: trained, but the refresher is due within DUE_SOON_DAYS or overdue;
- `untrained`: never trained for it.
Qualifying trainings are live sign-ins at training meetings (held as a course: for the
course's needs; not tied to a course: for every need, as before courses existed) and
verified external trainings (for the needs they name).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetops.attendance.models import SignIn
from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.live.selectors import SECURITY_DUTY_WORDS
from meetops.meetings.models import MeetingRole, Participant, ParticipantStatus, Stage, holding
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import Department, Role, RoleAssignment, User
from meetops.people.selectors import headed_department_ids
from meetops.training.models import (
    Course,
    Duty,
    ExternalTraining,
    RecordStatus,
    TrainingNeed,
    TrainingSession,
)
from meetops.training.permissions import can_see_records_of, sees_every_department

TRAINING_KIND = "training"
TRAINED, DUE, UNTRAINED = "trained", "due", "untrained"
DUE_SOON_DAYS = 30
# A meeting duty counts when held on a meeting that starts from a year ago on.
DUTY_WINDOW_DAYS = 365
# Global roles that carry a duty whatever the meetings say.
ROLE_DUTIES: dict[str, str] = {Role.ORGANISER: Duty.ORGANISER, Role.STAFF: Duty.DESK}
MEETING_DUTY_ROLES = (
    MeetingRole.ORGANISER,
    MeetingRole.HOST,
    MeetingRole.RECORDER,
    MeetingRole.STAFF,
)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def active_needs() -> list[TrainingNeed]:
    return list(TrainingNeed.objects.filter(active=True).order_by("order", "pk"))


# --- who holds which duty ---------------------------------------------------------------------


def _security(duties: str) -> bool:
    text = duties.lower()
    return any(word in text for word in SECURITY_DUTY_WORDS)


def _meeting_duties(roles: Iterable[str], duties: str) -> set[str]:
    held = set(roles)
    found: set[str] = set()
    if held & {MeetingRole.ORGANISER, MeetingRole.HOST}:
        found.add(Duty.ORGANISER)
    if MeetingRole.RECORDER in held:
        found.add(Duty.RECORDER)
    if MeetingRole.STAFF in held:
        found.add(Duty.DESK)
        if _security(duties):
            found.add(Duty.SECURITY)
    return found


def duty_holders(people: QuerySet[User], *, now: datetime | None = None) -> dict[int, set[str]]:
    """{user id: duties} of `people` (active): their global roles (organiser, staff) and the
    roles they hold on meetings not cancelled that start from DUTY_WINDOW_DAYS ago. Two queries."""
    since = (now or timezone.now()) - timedelta(days=DUTY_WINDOW_DAYS)
    holders: dict[int, set[str]] = defaultdict(set)
    for user_id, role in RoleAssignment.objects.filter(
        user__in=people, role__in=list(ROLE_DUTIES)
    ).values_list("user_id", "role"):
        holders[user_id].add(ROLE_DUTIES[role])
    rows = (
        Participant.objects.filter(
            user__in=people,
            status=ParticipantStatus.ACTIVE,
            meeting__start__gte=since,
        )
        .exclude(meeting__stage=Stage.CANCELLED)
        .filter(reduce(or_, (holding(r) for r in MEETING_DUTY_ROLES)))
        .values_list("user_id", "role", "extra_roles", "duties")
    )
    for user_id, role, extra, duties in rows:
        holders[user_id] |= _meeting_duties([role, *(extra or [])], duties or "")
    return {pk: duties for pk, duties in holders.items() if duties}


# --- where people stand ----------------------------------------------------------------------


@dataclass
class Standing:
    need: TrainingNeed
    state: str
    last: date | None = None
    valid_until: date | None = None


@dataclass
class PersonStanding:
    person: User
    duties: set[str]
    standings: list[Standing]

    @property
    def open(self) -> list[Standing]:
        return [s for s in self.standings if s.state != TRAINED]


def standing(need: TrainingNeed, last: date | None, today: date) -> Standing:
    if last is None:
        return Standing(need, UNTRAINED)
    if need.refresher_months is None:
        return Standing(need, TRAINED, last)
    until = add_months(last, need.refresher_months)
    state = DUE if until <= today + timedelta(days=DUE_SOON_DAYS) else TRAINED
    return Standing(need, state, last, until)


def last_trained(people: QuerySet[User], needs: list[TrainingNeed]) -> dict[tuple[int, int], date]:
    """{(user id, need id): latest qualifying training day}. Three queries."""
    every = [n.pk for n in needs]
    courses: dict[int, list[int]] = defaultdict(list)  # meeting id → needs its course meets
    for meeting_id, need_id in TrainingSession.objects.values_list("meeting_id", "course__needs"):
        courses[meeting_id] += [need_id] if need_id else []
    latest: dict[tuple[int, int], date] = {}

    def met(user_id: int, need_ids: Iterable[int], day: date) -> None:
        for need_id in need_ids:
            key = (user_id, need_id)
            if key not in latest or latest[key] < day:
                latest[key] = day

    signins = (
        SignIn.objects.filter(
            undone_at__isnull=True,
            meeting__kind__code=TRAINING_KIND,
            participant__user__in=people,
        )
        .exclude(meeting__stage=Stage.CANCELLED)
        .values_list("participant__user_id", "meeting_id", "signed_in_at")
    )
    for user_id, meeting_id, at in signins:
        met(user_id, courses.get(meeting_id, every), timezone.localdate(at))
    external = ExternalTraining.objects.filter(
        status=RecordStatus.VERIFIED, person__in=people
    ).values_list("person_id", "needs", "completed_on")
    for user_id, need_id, day in external:
        if need_id:
            met(user_id, [need_id], day)
    return latest


def standings_of(
    people: QuerySet[User], *, today: date | None = None, now: datetime | None = None
) -> tuple[list[TrainingNeed], list[PersonStanding]]:
    """The active needs, and every person of `people` who holds a duty with a need, where
    they stand on each need of their duties; by department, then name. Seven queries."""
    today = today or timezone.localdate()
    needs = active_needs()
    people = people.filter(is_active=True)
    holders = duty_holders(people, now=now)
    latest = last_trained(people, needs)
    wanted = {n.duty for n in needs}
    rows: list[PersonStanding] = []
    users = (
        User.objects.filter(pk__in=[pk for pk, d in holders.items() if d & wanted])
        .select_related("department")
        .order_by("department__path", "name_pinyin", "username")
    )
    for user in users:
        duties = holders[user.pk]
        mine = [standing(n, latest.get((user.pk, n.pk)), today) for n in needs if n.duty in duties]
        rows.append(PersonStanding(user, duties, mine))
    return needs, rows


# --- coverage per department -----------------------------------------------------------------


@dataclass
class NeedCount:
    need: TrainingNeed
    trained: int = 0
    due: int = 0
    untrained: int = 0

    @property
    def total(self) -> int:
        return self.trained + self.due + self.untrained

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)


@dataclass
class DepartmentCoverage:
    department: Department | None
    counts: list[NeedCount]
    people: list[PersonStanding] = field(default_factory=list)


@dataclass
class Coverage:
    needs: list[TrainingNeed]
    departments: list[DepartmentCoverage]
    totals: list[NeedCount]

    @property
    def to_train(self) -> list[PersonStanding]:
        return [p for d in self.departments for p in d.people if p.open]


def people_in_scope(viewer: User) -> QuerySet[User]:
    """Whose training `viewer` may see as coverage: everyone for overseers, the departments
    a head heads (and those below), else nobody."""
    if sees_every_department(viewer):
        return User.objects.all()
    return User.objects.filter(department_id__in=headed_department_ids(viewer))


def coverage_for(
    viewer: User, *, department: Department | None = None, today: date | None = None
) -> Coverage:
    """Trained, due and untrained per need and department, over the people `viewer` may see
    (optionally one department and those below it)."""
    people = people_in_scope(viewer)
    if department is not None:
        people = people.filter(department__path__startswith=department.path)
    needs, rows = standings_of(people, today=today)
    by_department: dict[int | None, DepartmentCoverage] = {}
    totals = [NeedCount(n) for n in needs]
    for row in rows:
        dept = row.person.department
        key = dept.pk if dept else None
        if key not in by_department:
            by_department[key] = DepartmentCoverage(dept, [NeedCount(n) for n in needs])
        entry = by_department[key]
        entry.people.append(row)
        for s in row.standings:
            index = needs.index(s.need)
            entry.counts[index].add(s.state)
            totals[index].add(s.state)
    return Coverage(needs, list(by_department.values()), totals)


# --- records ---------------------------------------------------------------------------------


@dataclass
class Record:
    """One training of a person: at a training meeting, or external."""

    on: date
    title: str
    kind: str  # "meeting" | "external"
    meeting_id: int | None = None
    course: Course | None = None
    external: ExternalTraining | None = None


def records_of(person: User) -> list[Record]:
    """A person's trainings, newest first: sign-ins at training meetings and external ones."""
    signins = (
        SignIn.objects.filter(
            undone_at__isnull=True, meeting__kind__code=TRAINING_KIND, participant__user=person
        )
        .exclude(meeting__stage=Stage.CANCELLED)
        .select_related("meeting__training_session__course")
        .order_by("-signed_in_at")
    )
    records: list[Record] = []
    for s in signins:
        session = getattr(s.meeting, "training_session", None)
        records.append(
            Record(
                timezone.localdate(s.signed_in_at),
                s.meeting.title,
                "meeting",
                meeting_id=s.meeting_id,
                course=session.course if session else None,
            )
        )
    for ext in ExternalTraining.objects.filter(person=person).prefetch_related("needs"):
        records.append(Record(ext.completed_on, ext.title, "external", external=ext))
    return sorted(records, key=lambda r: r.on, reverse=True)


def external_visible_to(viewer: User) -> QuerySet[ExternalTraining]:
    base = ExternalTraining.objects.select_related("person__department").prefetch_related("needs")
    if sees_every_department(viewer):
        return base
    return base.filter(
        Q(person=viewer) | Q(person__department_id__in=headed_department_ids(viewer))
    )


def get_external_for_user(viewer: User, pk: int) -> ExternalTraining:
    """An external record `viewer` may see (404 for anyone else, whether it exists or not)."""
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    record = external_visible_to(viewer).filter(pk=pk).first()
    if record is None or not can_see_records_of(viewer, record.person):
        raise NotFound()
    return record


def pending_external() -> QuerySet[ExternalTraining]:
    return (
        ExternalTraining.objects.filter(status=RecordStatus.PENDING)
        .select_related("person__department")
        .prefetch_related("needs")
        .order_by("entered_at", "pk")
    )


def training_meetings(viewer: User, *, months: int = 12) -> list[Any]:
    """Training meetings of the period that `viewer` may see, with attended and invited."""
    since = timezone.now() - timedelta(days=round(months * 30.44))
    return list(
        meetings_visible_to(viewer)
        .filter(kind__code=TRAINING_KIND, start__gte=since)
        .exclude(stage=Stage.CANCELLED)
        .select_related("training_session__course")
        .annotate(
            attended=Count("signins", filter=Q(signins__undone_at__isnull=True), distinct=True),
            invited=Count("participants", distinct=True),
        )
        .order_by("-start")
    )


def courses_visible() -> QuerySet[Course]:
    return Course.objects.prefetch_related("needs").annotate(
        material_count=Count("materials", distinct=True)
    )


def get_course(pk: int) -> Course:
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    course = Course.objects.prefetch_related("needs").filter(pk=pk).first()
    if course is None:
        raise NotFound()
    return course
