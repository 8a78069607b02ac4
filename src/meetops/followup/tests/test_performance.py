"""People's and departments' follow-up performance (P8.9): the figures, who may read them (one
test per role), the XLSX for 年度考核, pinned query counts; and the personal task feed (P8.8)."""

from __future__ import annotations

import io
from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetops.core.models import AuditEntry
from meetops.followup import performance, services
from meetops.minutes import services as minutes_services
from meetops.people.models import User
from meetops.people.services import set_department_heads

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(make_user, departments, admin_user):
    person = make_user("head", department=departments["finance"])
    set_department_heads(departments["finance"], heads=[person], actor=admin_user)
    return person


@pytest.fixture
def colleague(make_user, departments):
    return make_user("colleague", department=departments["budget"])


@pytest.fixture
def year(make_item, owner, organiser, colleague, make_user, departments):
    """The owner's year: one done on time (rated 4), one done late (rated 2), one overdue, one
    open, one cancelled; the colleague helped on the first; finance cooperated on IT's item."""
    on_time = make_item(title="按时完成", due_in=5, department=departments["budget"])
    late = make_item(title="延期完成", due_in=-5)
    make_item(title="逾期未完", due_in=-2)
    make_item(title="还在做", due_in=10)
    cancelled = make_item(title="取消了", due_in=3)
    minutes_services.update_action(cancelled, actor=organiser, state="cancelled")
    for action, rating in ((on_time, 4), (late, 2)):
        minutes_services.update_action(action, actor=owner, state="done", completion_note="好")
        services.accept_action(action, actor=organiser, quality=rating)
    services.add_comment(on_time, actor=colleague, note="数据我来核对")
    netman = make_user("netman", department=departments["it"])
    network = make_item(title="网络改造", owner=netman, department=departments["it"])
    services.set_cooperating_departments(
        network, actor=organiser, departments=[departments["finance"]]
    )
    today = timezone.localdate()
    return performance.Period(today - timedelta(days=30), today + timedelta(days=30))


def test_a_persons_figures(year, owner, colleague):
    line = performance.people_lines(User.objects.filter(pk=owner.pk), year)[0]
    assert (line.owned, line.done, line.on_time, line.late) == (4, 2, 1, 2)
    assert line.average_rating == 3.0 and line.on_time_rate == 50 and line.cooperated == 0
    helper = performance.people_lines(User.objects.filter(pk=colleague.pk), year)[0]
    assert (helper.owned, helper.cooperated, helper.average_rating) == (0, 1, None)


def test_a_departments_figures_cover_the_departments_below(year, departments):
    line = performance.department_line(departments["finance"], year)
    assert (line.owned, line.done, line.on_time, line.late, line.cooperated) == (4, 2, 1, 2, 1)
    assert line.average_rating == 3.0


def test_outside_the_period_nothing_counts(year, owner):
    later = performance.Period(year.end + timedelta(days=1), year.end + timedelta(days=60))
    line = performance.people_lines(User.objects.filter(pk=owner.pk), later)[0]
    assert (line.owned, line.done, line.late, line.cooperated) == (0, 0, 0, 0)


def test_people_lines_cost_one_query_however_many_people(year, departments, make_user):
    people = performance.department_people(departments["finance"])
    with CaptureQueriesContext(connection) as few:
        performance.people_lines(people, year)
    for n in range(5):
        make_user(f"more{n}", department=departments["budget"])
    with CaptureQueriesContext(connection) as more:
        lines = performance.people_lines(people, year)
    assert len(few) == len(more) == 1 and len(lines) == 7


def test_a_period_that_ends_before_it_starts_is_refused(api_as, owner):
    answer = api_as(owner).get(
        f"/api/v1/followup/performance/people/{owner.pk}", start="2026-05-01", end="2026-01-01"
    )
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "invalid_period"


PERSON_PAGE_ROLES = [
    ("owner", 200),  # the person themself
    ("head", 200),  # the head of their department (above it)
    ("leader", 200),
    ("organiser", 404),
    ("admin_user", 404),
    ("colleague", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("persona", "status"), PERSON_PAGE_ROLES)
def test_who_reads_a_persons_performance(
    request, client, owner, head, leader, colleague, outsider, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/followup/people/{owner.pk}/performance/").status_code == status


DEPARTMENT_PAGE_ROLES = [
    ("head", 200),
    ("leader", 200),
    ("owner", 404),
    ("organiser", 404),
    ("admin_user", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("persona", "status"), DEPARTMENT_PAGE_ROLES)
def test_who_reads_a_departments_performance(
    request, api_as, departments, owner, head, leader, outsider, persona, status
):
    path = f"/api/v1/followup/performance/departments/{departments['finance'].pk}"
    answer = api_as(request.getfixturevalue(persona)).get(path)
    assert answer.status_code == status
    if status == 404:
        assert answer.json()["error"]["code"] == "not_found"


def test_the_department_page_and_its_xlsx_for_the_annual_appraisal(
    year, client, head, departments, owner
):
    from openpyxl import load_workbook

    client.force_login(head)
    url = f"/followup/departments/{departments['finance'].pk}/performance/"
    query = {"start": year.start.isoformat(), "end": year.end.isoformat()}
    client.get(url, query)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, query)
    assert page.status_code == 200 and "owner" in page.content.decode()
    assert len(queries) <= 12
    sheet = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content)).active
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["财务处"] == (4, 2, 1, 2, 50, 3.0, 1)
    assert rows[str(owner)] == (4, 2, 1, 2, 50, 3.0, 0)


def test_the_api_gives_a_person_their_own_figures(year, api_as, owner):
    answer = api_as(owner).get(
        f"/api/v1/followup/performance/people/{owner.pk}",
        start=year.start.isoformat(),
        end=year.end.isoformat(),
    )
    assert answer.status_code == 200
    total = answer.json()["total"]
    assert (total["owned"], total["on_time"], total["late"], total["average_rating"]) == (
        4,
        1,
        2,
        3.0,
    )


# --- the task feed ---------------------------------------------------------------------------


def test_the_task_feed_lists_open_items_as_vtodo(make_item, client, owner, api_as):
    make_item(title="拿出差旅预算方案", due_in=3)
    url = api_as(owner).get("/api/v1/followup/task-feed").json()["url"]
    path = url.split("://", 1)[-1].split("/", 1)[1]
    answer = client.get("/" + path)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    todos = icalendar.Calendar.from_ical(answer.content).walk("VTODO")
    assert [str(t["summary"]) for t in todos] == ["拿出差旅预算方案"]
    assert todos[0]["status"] == "NEEDS-ACTION"
    assert todos[0].decoded("due") == timezone.localdate() + timedelta(days=3)


def test_a_new_feed_address_retires_the_old_one(client, owner, api_as):
    old = api_as(owner).get("/api/v1/followup/task-feed").json()["url"]
    new = api_as(owner).post("/api/v1/followup/task-feed/reset").json()["url"]
    assert new != old
    old_path = "/" + old.split("://", 1)[-1].split("/", 1)[1]
    assert client.get(old_path).status_code == 404
    assert AuditEntry.objects.filter(action="followup.task_feed.reset").count() == 1


def test_a_confidential_meeting_is_not_named_in_the_feed(make_item, make_meeting, client, owner):
    from meetops.followup.feeds import calendar

    secret = make_meeting(title="保密会议", confidentiality="confidential")
    make_item(title="保密任务", target=secret)
    text = calendar(owner).decode()
    assert "保密任务" in text and "保密会议" not in text
