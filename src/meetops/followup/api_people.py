"""Follow-up API of department heads and people (P8.8, P8.9): a department's board, giving an
item to someone, people's and departments' performance, the personal task feed.
Mounted at "/" with full paths; every error leaves in the one API error shape."""

from datetime import date

from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from meetops.core.errors import NotFound, ValidationFailed
from meetops.core.schemas import MAX_DB_ID, DbId, Input
from meetops.core.validation import SaneDate
from meetops.core.web import AuthedRequest
from meetops.followup import feeds, performance, permissions, selectors, services
from meetops.followup.api import BoardOut, CountsOut, FollowupItemOut, item_out
from meetops.meetings.selectors import meeting_titles_for
from meetops.people.models import Department, User

router = Router(tags=["follow-up"])


class AssignOwnerIn(Input):
    owner_id: DbId


class PeriodQuery(Input):
    start: SaneDate | None = None
    end: SaneDate | None = None


class PerformanceLineOut(Schema):
    name: str
    person_id: DbId | None
    department_id: DbId | None
    owned: int
    done: int
    on_time: int
    late: int
    on_time_rate: int | None = Field(description="Done on time, % of done items")
    average_rating: float | None = Field(description="Average acceptance rating, 1–5")
    cooperated: int = Field(description="Items of others worked on (teamwork)")


class PerformanceOut(Schema):
    start: date
    end: date
    total: PerformanceLineOut
    people: list[PerformanceLineOut]


class TaskFeedOut(Schema):
    url: str


def line_out(line: performance.Line) -> PerformanceLineOut:
    return PerformanceLineOut(
        name=line.name,
        person_id=line.person_id,
        department_id=line.department_id,
        owned=line.owned,
        done=line.done,
        on_time=line.on_time,
        late=line.late,
        on_time_rate=line.on_time_rate,
        average_rating=line.average_rating,
        cooperated=line.cooperated,
    )


def _department(department_id: int) -> Department:
    found = Department.objects.filter(pk=department_id).first()
    if found is None:
        raise NotFound()
    return found


def _period(q: PeriodQuery) -> performance.Period:
    return performance.Period.of(q.start, q.end)


@router.get(
    "/followup/departments/{int:department_id}/board",
    response=BoardOut,
    summary="A department's open action items (its heads, and who sees every item)",
)
def department_board(request: AuthedRequest, department_id: int) -> BoardOut:
    department = _department(department_id)
    if not permissions.can_see_department_board(request.user, department):
        raise NotFound()
    rows, totals = selectors.department_board(request.user, department)
    meetings = meeting_titles_for(request.user, {a.meeting_id for a in rows})
    return BoardOut(counts=CountsOut(**totals), items=[item_out(a, meetings) for a in rows])


@router.post(
    "/actions/{int:action_id}/assign",
    response=FollowupItemOut,
    summary="Give the item to someone of the department (its heads)",
)
def assign(request: AuthedRequest, action_id: int, payload: AssignOwnerIn) -> FollowupItemOut:
    action = selectors.get_item_for_user(request.user, action_id)
    owner = User.objects.filter(pk=payload.owner_id, is_active=True).first()
    if owner is None:
        raise ValidationFailed(gettext("Unknown user."), "unknown_user", field="owner_id")
    services.assign_action(action, actor=request.user, owner=owner)
    fresh = selectors.get_item_for_user(request.user, action_id)
    return item_out(fresh, meeting_titles_for(request.user, [fresh.meeting_id]))


@router.get(
    "/followup/performance/people/{int:user_id}",
    response=PerformanceOut,
    summary="A person's follow-up figures over a period (themself, their head, leaders)",
)
def person_performance(
    request: AuthedRequest, user_id: int, q: Query[PeriodQuery]
) -> PerformanceOut:
    person = User.objects.filter(pk=user_id).first() if 0 < user_id <= MAX_DB_ID else None
    if person is None or not permissions.can_see_performance_of(request.user, person):
        raise NotFound()
    period = _period(q)
    line = performance.people_lines(User.objects.filter(pk=person.pk), period)[0]
    return PerformanceOut(start=period.start, end=period.end, total=line_out(line), people=[])


@router.get(
    "/followup/performance/departments/{int:department_id}",
    response=PerformanceOut,
    summary="A department's follow-up figures and its people's (its heads, leaders)",
)
def department_performance(
    request: AuthedRequest, department_id: int, q: Query[PeriodQuery]
) -> PerformanceOut:
    department = _department(department_id)
    if not permissions.can_see_department_performance(request.user, department):
        raise NotFound()
    period = _period(q)
    total = performance.department_line(department, period)
    lines = performance.people_lines(performance.department_people(department), period)
    return PerformanceOut(
        start=period.start,
        end=period.end,
        total=line_out(total),
        people=[line_out(x) for x in lines],
    )


@router.get("/followup/task-feed", response=TaskFeedOut, summary="My task feed's address")
def task_feed(request: AuthedRequest) -> TaskFeedOut:
    return TaskFeedOut(url=feeds.task_feed_url(request.user))


@router.post(
    "/followup/task-feed/reset",
    response=TaskFeedOut,
    summary="A new address for my task feed (the old one stops working)",
)
def task_feed_reset(request: AuthedRequest) -> TaskFeedOut:
    return TaskFeedOut(url=feeds.reset_task_feed(request.user, actor=request.user))
